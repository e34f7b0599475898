package dev.alignloop.trainer;

import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.streaming.BadRecord;
import dev.alignloop.streaming.DeadLetterRouter;
import dev.alignloop.streaming.InputRecord;
import dev.alignloop.trainer.LabelLoader.Rejection;
import dev.alignloop.trainer.TrainedLabels.Entry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends consumed records that can never train to the dead-letter topic (via {@link
 * DeadLetterRouter}, keyed {@code topic-partition@offset}, so a record dead-lettered again after a
 * crash compacts to one entry) and remembers them until a checkpoint covers them. Sends are
 * asynchronous; {@link #flush()} makes them durable before a checkpoint skips past them.
 */
final class DeadLetterSink {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSink.class);

  private final DeadLetterRouter router;
  private final Producer<String, byte[]> producer;
  private final TrainerListener listener;
  private final AtomicReference<Exception> lost = new AtomicReference<>();
  private final List<Entry> uncovered = new ArrayList<>();

  DeadLetterSink(DeadLetterRouter router, Producer<String, byte[]> producer, TrainerListener listener) {
    this.router = router;
    this.producer = producer;
    this.listener = listener;
  }

  /** A record that did not decode, or a tombstone. */
  void badRecord(BadRecord bad) {
    String key = bad.raw().key() == null ? null : new String(bad.raw().key(), StandardCharsets.UTF_8);
    send(router.route(bad), bad.category(), String.valueOf(bad.error().getMessage()), bad.coordinates(),
        new Entry(key, bad.raw().topic(), bad.raw().partition(), bad.offset(), bad.category()));
  }

  /** A decoded label that can never train. */
  void rejected(Rejection r) {
    InputRecord<PreferenceLabel> in = r.record();
    // The consumer hands out decoded labels: the dead letter carries the label re-encoded (same content).
    ConsumerRecord<String, PreferenceLabel> raw = new ConsumerRecord<>(in.topic(), in.partition(), in.offset(),
        in.key(), in.value());
    send(router.route(raw, r.reason(), r.cause()), r.code(), r.describe(), in.coordinates(),
        new Entry(in.value().getPairId(), in.topic(), in.partition(), in.offset(), r.code()));
  }

  private void send(ProducerRecord<String, byte[]> record, String code, String reason, String coordinates, Entry e) {
    producer.send(record, (md, error) -> {
      if (error != null) {
        lost.compareAndSet(null, error);
      }
    });
    uncovered.add(e);
    LOG.warn("dead-lettered {}: {}", coordinates, reason);
    try {
      listener.onDeadLetter(code, reason, coordinates);
    } catch (RuntimeException ex) {
      LOG.warn("trainer listener failed", ex);
    }
  }

  /**
   * Waits until every dead letter sent so far is acknowledged.
   *
   * @throws TrainerException if one could not be sent (the checkpoint must not skip past it)
   */
  void flush(String topic) {
    producer.flush();
    Exception e = lost.getAndSet(null);
    if (e != null) {
      throw new TrainerException("dead letters could not be sent to " + topic + "; not checkpointing past them", e);
    }
  }

  /** The dead letters below {@code positions} (a checkpoint's offsets); they are forgotten after. */
  List<Entry> takeCovered(Map<TopicPartition, Long> positions) {
    List<Entry> covered = new ArrayList<>();
    for (Entry e : uncovered) {
      Long next = positions.get(new TopicPartition(e.topic(), e.partition()));
      if (next != null && e.offset() < next) {
        covered.add(e);
      }
    }
    uncovered.removeAll(covered);
    return covered;
  }
}
