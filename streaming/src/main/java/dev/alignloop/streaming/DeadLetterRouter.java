package dev.alignloop.streaming;

import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.DeadLetters;
import dev.alignloop.schemas.Topics;
import dev.alignloop.schemas.avro.DeadLetter;
import java.time.Clock;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Builds dead letters and the producer records that carry them to {@value Topics#DLQ}, keyed
 * {@code sourceTopic-partition@offset} ({@link DeadLetters#key}), so a record that is dead-lettered
 * twice (a crash between DLQ send and offset commit outside a transaction) has one key and
 * compacts or deduplicates to one entry.
 *
 * <p>The DLQ record's value is the {@link DeadLetter} Avro bytes; send it with a {@code
 * KafkaProducer<String, byte[]>}. In the exactly-once processor it is sent in the same
 * transaction as the outputs and offsets, so a record is dead-lettered once, together with its
 * skip past it.
 *
 * <pre>{@code
 * DeadLetterRouter dlq = new DeadLetterRouter("trainer-service", Clock.systemUTC());
 * for (BadRecord bad : batch.failures()) {
 *   producer.send(dlq.route(bad));
 * }
 * }</pre>
 *
 * Thread-safe.
 */
public final class DeadLetterRouter {

  private static final AvroSerde<DeadLetter> SERDE = AvroSerde.of(DeadLetter.class);

  private final String service;
  private final Clock clock;
  private final String topic;

  /** Router to {@value Topics#DLQ}. */
  public DeadLetterRouter(String service, Clock clock) {
    this(service, clock, Topics.DLQ);
  }

  /**
   * Router to another topic (tests, or a per-tenant DLQ).
   *
   * @param service the service giving up on records, e.g. {@code scorer-service}
   * @param clock for {@code failedAt}
   * @param topic where dead letters go
   */
  public DeadLetterRouter(String service, Clock clock, String topic) {
    this.service = requireText(service, "service");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.topic = requireText(topic, "topic");
  }

  /** The topic dead letters go to. */
  public String topic() {
    return topic;
  }

  /** The service named in every dead letter. */
  public String service() {
    return service;
  }

  /**
   * The dead letter for a consumed record.
   *
   * @param record the record as consumed; raw {@code byte[]} key and value are kept as they are
   * @param reason why it failed, or null to use {@code error}'s message
   * @param error what failed; null means a plain rejection ({@link RejectedRecordException})
   */
  public DeadLetter letter(ConsumerRecord<?, ?> record, String reason, Throwable error) {
    Objects.requireNonNull(record, "record");
    Throwable cause = error != null ? error
        : new RejectedRecordException(reason == null ? "rejected" : reason);
    DeadLetter letter = DeadLetters.of(record, cause, service, clock.instant());
    if (reason != null && error != null) {
      // Both: the handler's words first, the exception's detail after.
      letter.setReason(reason + ": " + error.getMessage());
    }
    return letter;
  }

  /** The DLQ producer record for a dead letter. */
  public ProducerRecord<String, byte[]> toRecord(DeadLetter letter) {
    return new ProducerRecord<>(topic, DeadLetters.key(letter), SERDE.encode(topic, letter));
  }

  /** {@link #letter} then {@link #toRecord}. */
  public ProducerRecord<String, byte[]> route(ConsumerRecord<?, ?> record, String reason, Throwable error) {
    return toRecord(letter(record, reason, error));
  }

  /** The DLQ producer record for a record that did not decode or had no value. */
  public ProducerRecord<String, byte[]> route(BadRecord bad) {
    return route(bad.raw(), null, bad.error());
  }

  private static String requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }
}
