package dev.alignloop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The validation is strict: one misspelled or mistyped field anywhere, in any kind of object we
 * ship, fails with a message naming the object and the field.
 */
class StrictValidationTest {

  private static final ManifestValidator VALIDATOR = new ManifestValidator();

  /** Object id, a mutation of it, and text the error must contain. */
  static Stream<Arguments> typos() {
    return Stream.of(
        typo("StatefulSet/alignloop-scorer", o -> container(o).put("imagePullPolicyy", "Always"), "imagePullPolicyy"),
        typo("StatefulSet/alignloop-trainer", o -> ((ObjectNode) o.path("spec").path("template").path("spec"))
            .put("nodeSelectr", "x"), "nodeSelectr"),
        typo("Deployment/alignloop-monitor", o -> ((ObjectNode) container(o).path("livenessProbe").path("httpGet"))
            .put("paht", "/health"), "paht"),
        typo("StatefulSet/alignloop-generator", o -> ((ObjectNode) o.path("spec")).put("replicas", "two"),
            "replicas"),
        typo("Service/alignloop-scorer", o -> ((ObjectNode) o.path("spec").path("ports").get(0)).put("targetPortt", 1),
            "targetPortt"),
        typo("ConfigMap/alignloop-kafka", o -> o.put("dataa", "x"), "dataa"),
        typo("PodDisruptionBudget/alignloop-generator", o -> ((ObjectNode) o.path("spec")).put("maxUnavaliable", 1),
            "maxUnavaliable"),
        typo("NetworkPolicy/alignloop-egress", o -> ((ObjectNode) o.path("spec").path("egress").get(0))
            .putArray("too"), "too"),
        typo("PersistentVolumeClaim/alignloop-data", o -> ((ObjectNode) o.path("spec")).put("storageClass", "x"),
            "storageClass"),
        typo("Kafka/alignloop-kafka", o -> ((ObjectNode) o.path("spec").path("kafka").path("listeners").get(0))
            .put("tlss", true), "tlss"),
        typo("KafkaNodePool/dual-role", o -> ((ObjectNode) o.path("spec")).put("replicas", "three"), "replicas"),
        typo("KafkaTopic/alignloop-pairs", o -> ((ObjectNode) o.path("spec")).put("partiton", 3), "partiton"),
        typo("KafkaUser/alignloop-scorer", o -> ((ObjectNode) o.path("spec").path("authorization").path("acls").get(0)
            .path("resource")).put("patern", "literal"), "patern"),
        typo("KafkaUser/alignloop-scorer", o -> ((ArrayNode) o.path("spec").path("authorization").path("acls").get(0)
            .path("operations")).add("Wrte"), "operations[2]"),
        typo("ScaledObject/alignloop-scorer", o -> ((ObjectNode) o.path("spec")).put("maxReplicaCountt", 3),
            "maxReplicaCountt"),
        typo("ScaledObject/alignloop-generator", o -> ((ObjectNode) o.path("spec").path("scaleTargetRef")).remove("name"),
            "name"),
        typo("ScaledObject/alignloop-generator", o -> ((ObjectNode) o.path("spec")).put("minReplicaCount", "1"),
            "minReplicaCount"),
        typo("TriggerAuthentication/alignloop-keda", o -> ((ObjectNode) o.path("spec").path("secretTargetRef").get(0))
            .put("nmae", "x"), "nmae"),
        typo("PodMonitor/alignloop", o -> ((ObjectNode) o.path("spec").path("podMetricsEndpoints").get(0))
            .put("intervall", "30s"), "intervall"),
        typo("ServiceMonitor/alignloop-monitor", o -> ((ObjectNode) o.path("metadata")).put("lables", "x"), "lables"),
        typo("ServiceMonitor/alignloop-monitor", o -> ((ObjectNode) o.path("spec").path("endpoints").get(0))
            .put("interval", "often"), "interval"),
        typo("Namespace/alignloop", o -> o.put("apiVersion", "v2"), "v2/Namespace"));
  }

  private static Arguments typo(String id, Consumer<ObjectNode> mutation, String expected) {
    return Arguments.of(id, mutation, expected);
  }

  private static ObjectNode container(ObjectNode workload) {
    return (ObjectNode) workload.path("spec").path("template").path("spec").path("containers").get(0);
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("typos")
  void aTypoFailsNamingTheObjectAndField(String id, Consumer<ObjectNode> mutation, String expected) {
    Map<String, ObjectNode> objects = Kustomize.byId(Overlays.render("prod"));
    ObjectNode object = objects.get(id);
    assertTrue(object != null, id + " not rendered");
    assertEquals(List.of(), VALIDATOR.validate(object), "valid before the typo");
    mutation.accept(object);
    List<String> problems = VALIDATOR.validate(object);
    assertFalse(problems.isEmpty(), id + " with a typo was accepted");
    assertTrue(problems.stream().anyMatch(p -> p.startsWith(id) && p.contains(expected)),
        "expected a problem naming " + id + " and " + expected + ", got " + problems);
  }

  @Test
  void anUnknownKindFails() throws Exception {
    JsonNode cron = Kustomize.YAML.readTree("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: x}\n");
    List<String> problems = VALIDATOR.validate(cron);
    assertTrue(problems.size() == 1 && problems.get(0).contains("unknown apiVersion/kind batch/v1/CronJob"),
        problems.toString());
  }

  @Test
  void danglingReferencesFail() {
    List<ObjectNode> objects = Overlays.render("dev");
    ObjectNode scorer = Kustomize.byId(objects).get("StatefulSet/alignloop-scorer");
    ((ObjectNode) scorer.path("spec").path("template").path("spec").path("containers").get(0).path("envFrom").get(0)
        .path("configMapRef")).put("name", "alignloop-kafak");
    ObjectNode keda = Kustomize.byId(objects).get("ScaledObject/alignloop-scorer");
    ((ObjectNode) keda.path("spec").path("triggers").get(0).path("metadata")).put("topic", "alignloop.pair");
    List<String> problems = References.check(objects);
    assertTrue(problems.stream().anyMatch(p -> p.contains("StatefulSet/alignloop-scorer") && p.contains("alignloop-kafak")),
        problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("ScaledObject/alignloop-scorer") && p.contains("alignloop.pair")),
        problems.toString());
  }

  @Test
  void theRendererRefusesWhatItDoesNotImplement(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("kustomization.yaml"), "resources: []\ncommonLabels: {a: b}\n");
    var e = assertThrows(Kustomize.KustomizeException.class, () -> Kustomize.render(dir));
    assertTrue(e.getMessage().contains("commonLabels"), e.getMessage());

    Path base = Overlays.deployDir().resolve("base");
    Files.writeString(dir.resolve("kustomization.yaml"), "resources: [" + base + "]\npatches:\n  - path: p.yaml\n");
    Files.writeString(dir.resolve("p.yaml"), "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: alignloop-scorr}\n");
    e = assertThrows(Kustomize.KustomizeException.class, () -> Kustomize.render(dir));
    assertTrue(e.getMessage().contains("alignloop-scorr") && e.getMessage().contains("matches no resource"),
        e.getMessage());
  }
}
