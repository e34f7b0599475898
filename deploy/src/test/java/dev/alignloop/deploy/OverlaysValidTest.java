package dev.alignloop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every overlay renders, and every object in it is valid against its schema, strictly. */
class OverlaysValidTest {

  private static final ManifestValidator VALIDATOR = new ManifestValidator();

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyObjectIsValid(String overlay) {
    List<ObjectNode> objects = Overlays.render(overlay);
    List<String> problems = VALIDATOR.validateAll(objects);
    assertEquals(List.of(), problems, overlay + " has invalid objects");
    problems = References.check(objects);
    assertEquals(List.of(), problems, overlay + " has dangling references");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyOverlayHasTheWholeLoop(String overlay) {
    Map<String, ObjectNode> byId = Kustomize.byId(Overlays.render(overlay));
    Set<String> expected = new TreeSet<>(List.of(
        "Namespace/alignloop", "Kafka/alignloop-kafka", "KafkaNodePool/dual-role",
        "StatefulSet/alignloop-generator", "StatefulSet/alignloop-scorer", "StatefulSet/alignloop-trainer",
        "StatefulSet/alignloop-gate", "Deployment/alignloop-monitor",
        "ScaledObject/alignloop-generator", "ScaledObject/alignloop-scorer", "TriggerAuthentication/alignloop-keda",
        "PodMonitor/alignloop", "ServiceMonitor/alignloop-monitor", "ConfigMap/alignloop-grafana-dashboard",
        "NetworkPolicy/alignloop-default-deny", "PersistentVolumeClaim/alignloop-data"));
    assertTrue(byId.keySet().containsAll(expected), "missing: " + expected.stream()
        .filter(e -> !byId.containsKey(e)).collect(Collectors.toList()));
    for (ObjectNode o : byId.values()) {
      if (!o.path("kind").asText().equals("Namespace")) {
        assertEquals("alignloop", o.path("metadata").path("namespace").asText(), Kustomize.id(o));
      }
    }
  }
}
