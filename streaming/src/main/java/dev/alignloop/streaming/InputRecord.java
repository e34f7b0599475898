package dev.alignloop.streaming;

import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * One decoded input record with where it came from.
 *
 * @param topic source topic
 * @param partition source partition
 * @param offset offset in that partition
 * @param timestamp the record's Kafka timestamp (epoch millis)
 * @param key the key as UTF-8 text, or null when the record had none
 * @param value the decoded value, never null (tombstones and undecodable bytes never get here)
 * @param <V> the value type
 */
public record InputRecord<V>(String topic, int partition, long offset, long timestamp, String key, V value) {

  /** Checks the required fields. */
  public InputRecord {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(value, "value");
  }

  /** The source partition. */
  public TopicPartition topicPartition() {
    return new TopicPartition(topic, partition);
  }

  /** {@code topic-partition@offset}, the same form as dead-letter keys. */
  public String coordinates() {
    return topic + "-" + partition + "@" + offset;
  }
}
