package dev.alignloop.schemas;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Name and settings of one Kafka topic, as created by the embedded broker, the CLI and the
 * Strimzi manifests alike.
 *
 * @param name topic name, e.g. {@code alignloop.pairs}
 * @param partitions partition count, at least 1
 * @param replicationFactor replicas per partition, at least 1 (1 on the embedded broker)
 * @param configs topic-level configs, e.g. {@code cleanup.policy=compact}; copied, immutable
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

  public TopicSpec {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("topic name is blank");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions of " + name + " must be >= 1, got " + partitions);
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "replicationFactor of " + name + " must be >= 1, got " + replicationFactor);
    }
    configs = Map.copyOf(Objects.requireNonNull(configs, "configs"));
  }

  /** The same topic with another replication factor (e.g. 3 in production). */
  public TopicSpec withReplicationFactor(short replicationFactor) {
    return new TopicSpec(name, partitions, replicationFactor, configs);
  }

  /** The same topic with another partition count. */
  public TopicSpec withPartitions(int partitions) {
    return new TopicSpec(name, partitions, replicationFactor, configs);
  }

  /** For {@code Admin.createTopics}. */
  public NewTopic toNewTopic() {
    return new NewTopic(name, partitions, replicationFactor).configs(configs);
  }
}
