package dev.alignloop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where {@code kubectl} is installed (Debian's {@code kubectl} package: Kustomize v5), the Java
 * renderer must produce exactly the objects {@code kubectl kustomize} does. Skipped elsewhere.
 */
class KustomizeCrossCheckTest {

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void javaRendererEqualsKubectlKustomize(String overlay) throws Exception {
    Path kubectl = findOnPath("kubectl");
    assumeTrue(kubectl != null, "kubectl is not installed");
    Process p = new ProcessBuilder(kubectl.toString(), "kustomize", Overlays.overlay(overlay).toString())
        .redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assumeTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize timed out");
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "kubectl kustomize failed: " + text);
    List<ObjectNode> expected = new ArrayList<>();
    try (var parser = Kustomize.YAML.getFactory().createParser(text)) {
      Kustomize.YAML.readValues(parser, JsonNode.class).forEachRemaining(d -> expected.add((ObjectNode) d));
    }
    Map<String, ObjectNode> kubectlObjects = Kustomize.byId(expected);
    Map<String, ObjectNode> ours = Kustomize.byId(Overlays.render(overlay));
    assertEquals(new TreeSet<>(kubectlObjects.keySet()), new TreeSet<>(ours.keySet()));
    for (var e : kubectlObjects.entrySet()) {
      assertEquals(e.getValue(), ours.get(e.getKey()), e.getKey() + " differs from kubectl kustomize's");
    }
  }

  private static Path findOnPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
