package dev.alignloop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alignloop.schemas.TopicSpec;
import dev.alignloop.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One source of truth for topics: the Strimzi {@code KafkaTopic}s of every overlay are exactly
 * {@link Topics#all(short)} (names, partitions, configs) at the cluster's replication factor, the
 * settings the embedded broker creates topics with.
 */
class TopicManifestsTest {

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void kafkaTopicsEqualTheTopicsDefinition(String overlay) {
    List<ObjectNode> objects = Overlays.render(overlay);
    short rf = replicationFactor(objects);
    assertEquals(List.of(), differences(topicsIn(objects), Topics.all(rf)), overlay);
  }

  @Test
  void prodReplicatesThreeTimesAndDevOnce() {
    assertEquals(3, replicationFactor(Overlays.render("prod")));
    assertEquals(1, replicationFactor(Overlays.render("dev")));
  }

  @Test
  void aDriftedTopicIsReportedByName() {
    List<TopicSpec> manifests = new ArrayList<>(topicsIn(Overlays.render("prod")));
    manifests.replaceAll(t -> t.name().equals(Topics.PAIRS) ? t.withPartitions(6) : t);
    manifests.removeIf(t -> t.name().equals(Topics.DLQ));
    List<String> diff = differences(manifests, Topics.all((short) 3));
    assertTrue(diff.stream().anyMatch(d -> d.contains(Topics.PAIRS) && d.contains("partitions")), diff.toString());
    assertTrue(diff.stream().anyMatch(d -> d.contains(Topics.DLQ) && d.contains("missing")), diff.toString());
  }

  /** The cluster's default.replication.factor, which every topic must use. */
  static short replicationFactor(List<ObjectNode> objects) {
    JsonNode kafka = objects.stream().filter(o -> o.path("kind").asText().equals("Kafka")).findFirst().orElseThrow();
    return (short) kafka.path("spec").path("kafka").path("config").path("default.replication.factor").asInt();
  }

  static List<TopicSpec> topicsIn(List<ObjectNode> objects) {
    List<TopicSpec> out = new ArrayList<>();
    for (ObjectNode o : objects) {
      if (!o.path("kind").asText().equals("KafkaTopic")) {
        continue;
      }
      JsonNode spec = o.path("spec");
      Map<String, String> configs = new TreeMap<>();
      spec.path("config").fields().forEachRemaining(e -> configs.put(e.getKey(), e.getValue().asText()));
      out.add(new TopicSpec(spec.path("topicName").asText(o.path("metadata").path("name").asText()),
          spec.path("partitions").asInt(), (short) spec.path("replicas").asInt(), configs));
    }
    return out;
  }

  /** Human-readable differences, each naming the topic; empty if equal. */
  static List<String> differences(List<TopicSpec> manifests, List<TopicSpec> definition) {
    Map<String, TopicSpec> actual = new TreeMap<>();
    manifests.forEach(t -> actual.put(t.name(), t));
    List<String> out = new ArrayList<>();
    for (TopicSpec want : definition) {
      TopicSpec got = actual.remove(want.name());
      if (got == null) {
        out.add(want.name() + ": missing from the KafkaTopic manifests (expected " + want + ")");
        continue;
      }
      if (got.partitions() != want.partitions()) {
        out.add(want.name() + ": partitions " + got.partitions() + " in the manifest, " + want.partitions() + " in Topics");
      }
      if (got.replicationFactor() != want.replicationFactor()) {
        out.add(want.name() + ": replicas " + got.replicationFactor() + ", cluster replication factor "
            + want.replicationFactor());
      }
      if (!got.configs().equals(want.configs())) {
        out.add(want.name() + ": config " + new TreeMap<>(got.configs()) + " in the manifest, "
            + new TreeMap<>(want.configs()) + " in Topics");
      }
    }
    actual.keySet().forEach(n -> out.add(n + ": a KafkaTopic that Topics does not define"));
    return out;
  }
}
