package dev.alignloop.schemas;

import dev.alignloop.schemas.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.avro.specific.SpecificRecord;

/**
 * Builds {@link DeadLetter} records for {@code alignloop.dlq}, so every service reports a
 * failed record the same way: where it was (topic, partition, offset), its raw key and value,
 * the error class and a reason. DLQ records are keyed by {@link #key(DeadLetter)}.
 *
 * <p>Two paths lead here. With {@link AvroSerde#safeDeserializer()} (recommended) the consumer
 * gets a {@link Decoded.Failed} and calls {@link #of(ConsumerRecord, Throwable, String,
 * Instant)}. With the throwing {@link AvroSerde#deserializer()}, {@code poll()} throws {@link
 * RecordDeserializationException}; call {@link #of(RecordDeserializationException, String,
 * Instant)}, then {@code consumer.seek(e.topicPartition(), e.offset() + 1)} to skip it.
 */
public final class DeadLetters {

  private static final Map<Class<?>, AvroSerde<?>> SERDES = new ConcurrentHashMap<>();

  private DeadLetters() {}

  /**
   * Dead letter for a record that was consumed but could not be processed.
   *
   * @param record the consumed record; keys and values may be {@code byte[]}, {@code String},
   *     an AlignLoop record (re-encoded) or a {@link Decoded} (its raw bytes when it failed)
   * @param error why processing failed; for a {@link Decoded.Failed} value pass its error, or
   *     null to take it from the value
   * @param service the service giving up, e.g. {@code scorer-service}
   * @param failedAt when (inject a clock)
   */
  public static DeadLetter of(ConsumerRecord<?, ?> record, Throwable error, String service, Instant failedAt) {
    Objects.requireNonNull(record, "record");
    Throwable cause = error;
    if (cause == null && record.value() instanceof Decoded.Failed<?> failed) {
      cause = failed.error();
    }
    Objects.requireNonNull(cause, "error (the value decoded fine, so the caller must say what failed)");
    return build(record.topic(), record.partition(), record.offset(), bytesOf(record.key()),
        bytesOf(record.value()), cause, service, failedAt);
  }

  /**
   * Dead letter for a record the consumer could not deserialize (throwing deserializer path).
   * Key and value come from the exception's buffers, so nothing is lost.
   */
  public static DeadLetter of(RecordDeserializationException e, String service, Instant failedAt) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    return build(e.topicPartition().topic(), e.topicPartition().partition(), e.offset(),
        bytesOf(e.keyBuffer()), bytesOf(e.valueBuffer()), cause, service, failedAt);
  }

  /**
   * One line naming where and why: {@code alignloop.pairs-0@17 VALUE: UNKNOWN_FINGERPRINT on
   * topic alignloop.pairs: cannot decode ImagePair: ...}.
   */
  public static String describe(RecordDeserializationException e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    return e.topicPartition() + "@" + e.offset() + " " + e.origin() + ": " + cause.getMessage();
  }

  /** The DLQ key: {@code sourceTopic-partition@offset}, unique per failed record. */
  public static String key(DeadLetter letter) {
    return letter.getSourceTopic() + "-" + letter.getPartition() + "@" + letter.getOffset();
  }

  private static DeadLetter build(String topic, int partition, long offset, byte[] key, byte[] payload,
      Throwable cause, String service, Instant failedAt) {
    return DeadLetter.newBuilder()
        .setSourceTopic(topic)
        .setPartition(partition)
        .setOffset(offset)
        .setKey(key == null ? null : ByteBuffer.wrap(key))
        .setPayload(payload == null ? null : ByteBuffer.wrap(payload))
        .setErrorClass(cause.getClass().getName())
        .setReason(String.valueOf(cause.getMessage()))
        .setFailedAt(Objects.requireNonNull(failedAt, "failedAt"))
        .setService(Objects.requireNonNull(service, "service"))
        .build();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static byte[] bytesOf(Object o) {
    if (o == null) {
      return null;
    } else if (o instanceof byte[] bytes) {
      return bytes;
    } else if (o instanceof ByteBuffer buffer) {
      ByteBuffer copy = buffer.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return bytes;
    } else if (o instanceof Decoded.Failed<?> failed) {
      return failed.raw();
    } else if (o instanceof Decoded.Ok<?> ok) {
      return bytesOf(ok.value());
    } else if (o instanceof SpecificRecord record) {
      AvroSerde serde = SERDES.computeIfAbsent(record.getClass(), c -> AvroSerde.of((Class) c));
      return serde.encode(null, record);
    }
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }
}
