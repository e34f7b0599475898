package dev.alignloop.streaming;

import dev.alignloop.schemas.Decoded;
import dev.alignloop.schemas.SchemaException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Turns raw consumed records into {@link InputRecord}s with a never-throwing value decoder
 * (normally {@link dev.alignloop.schemas.AvroSerde#safeDeserializer()}); the rest become
 * {@link BadRecord}s. Keys are read as UTF-8 text.
 *
 * <p>Why the loops consume {@code byte[]} and decode here instead of giving the consumer the
 * safe deserializer: the raw bytes stay at hand, so a record the handler rejects (it decoded
 * fine) still goes to the DLQ exactly as it was received, not re-encoded with today's schema.
 *
 * @param <V> the value type
 */
public final class RecordDecoder<V> {

  /** {@link BadRecord#category()} of a record whose value is null. */
  public static final String NULL_VALUE = "null-value";
  /** Prefix of {@link BadRecord#category()} for undecodable values; the kind follows. */
  public static final String DECODE_PREFIX = "decode.";

  private final Deserializer<Decoded<V>> values;
  private final String expected;

  /**
   * @param values never-throwing decoder; returns null for null bytes
   * @param expected what a value should be, for messages (e.g. {@code ImagePair})
   */
  public RecordDecoder(Deserializer<Decoded<V>> values, String expected) {
    this.values = Objects.requireNonNull(values, "values");
    this.expected = Objects.requireNonNull(expected, "expected");
  }

  /**
   * Decodes one record.
   *
   * @param bad receives the record if it cannot be processed
   * @return the decoded record, or null when it went to {@code bad}
   */
  public InputRecord<V> decode(ConsumerRecord<byte[], byte[]> record, Consumer<BadRecord> bad) {
    byte[] data = record.value();
    Decoded<V> decoded = data == null ? null : decodeQuietly(record);
    if (decoded == null) {
      // A tombstone on a data topic is a producer bug, not "nothing to do": make it visible.
      bad.accept(new BadRecord(record, new NullValueException(
          "null value (tombstone) at " + record.topic() + "-" + record.partition() + "@" + record.offset()
              + " where " + expected + " was expected"), NULL_VALUE));
      return null;
    }
    if (decoded instanceof Decoded.Failed<V> failed) {
      bad.accept(new BadRecord(record, failed.error(), DECODE_PREFIX + failed.kind()));
      return null;
    }
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    return new InputRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(), key,
        decoded.orThrow());
  }

  private Decoded<V> decodeQuietly(ConsumerRecord<byte[], byte[]> record) {
    try {
      return values.deserialize(record.topic(), record.headers(), record.value());
    } catch (RuntimeException e) {
      // A decoder that is not the safe one: still never let one record stall the partition.
      return new Decoded.Failed<>(new SchemaException(SchemaException.Kind.CORRUPT_BODY, record.topic(),
          "decoder threw " + e, e), record.value());
    }
  }

  /** Error of a dead letter for a tombstone on a topic that needs values. */
  public static final class NullValueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NullValueException(String message) {
      super(message);
    }
  }
}
