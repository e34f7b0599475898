package dev.alignloop.streaming;

import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumed record that cannot be processed because of its bytes: it does not decode, or it is
 * a tombstone where a value is required. Holds the record exactly as received, so its dead
 * letter ({@link DeadLetterRouter#route(BadRecord)}) carries the original key and payload.
 *
 * @param raw the record as consumed (raw key and value bytes)
 * @param error why it cannot be processed
 * @param category a bounded label for metrics: {@code decode.<SchemaException.Kind>} or {@code
 *     null-value}
 */
public record BadRecord(ConsumerRecord<byte[], byte[]> raw, Throwable error, String category) {

  /** Checks the fields. */
  public BadRecord {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(category, "category");
  }

  /** The source partition. */
  public TopicPartition topicPartition() {
    return new TopicPartition(raw.topic(), raw.partition());
  }

  /** The source offset. */
  public long offset() {
    return raw.offset();
  }

  /** {@code topic-partition@offset}. */
  public String coordinates() {
    return raw.topic() + "-" + raw.partition() + "@" + raw.offset();
  }
}
