package dev.alignloop.trainer;

import dev.alignloop.diffusion.checkpoint.CheckpointStore;
import dev.alignloop.diffusion.checkpoint.TrainingCheckpoint;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.CheckpointStatus;
import dev.alignloop.schemas.avro.TopicOffset;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces durable checkpoints on {@code alignloop.checkpoints} and applies retention.
 *
 * <p>A {@code Checkpoint} record (status CANDIDATE, key = version) is sent by an idempotent
 * producer and waited for. A checkpoint whose record could not be sent stays queued and is retried
 * on every {@link #flush()}; after a crash, {@link #publishUnpublished()} sends every local
 * checkpoint the topic does not know — never one it knows, so a status the eval gate already set
 * (PROMOTED, REJECTED) is not overwritten with CANDIDATE.
 *
 * <p>The record's {@code uri} is the {@code file:} URI of the checkpoint folder: the generator and
 * the eval gate read the same volume (and fall back to {@code <checkpoint-dir>/<version>} when it
 * is mounted elsewhere). Uploading checkpoints to an {@code s3:} blob store is not done yet.
 *
 * <p>Retention keeps the newest {@code keep-last-checkpoints} plus every PROMOTED version (read
 * from the topic) plus every not-yet-announced one; if the topic cannot be read, nothing is
 * deleted that time.
 */
final class CheckpointPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointPublisher.class);
  private static final AvroSerde<Checkpoint> SERDE = AvroSerde.of(Checkpoint.class);

  private final String topic;
  private final Producer<String, byte[]> producer;
  private final CheckpointCatalog catalog;
  private final CheckpointStore store;
  private final int keepLast;
  private final Duration timeout;
  private final Clock clock;
  private final Deque<TrainingCheckpoint> backlog = new ArrayDeque<>();

  CheckpointPublisher(String topic, Producer<String, byte[]> producer, CheckpointCatalog catalog, CheckpointStore store,
      int keepLast, Duration timeout, Clock clock) {
    this.topic = topic;
    this.producer = producer;
    this.catalog = catalog;
    this.store = store;
    this.keepLast = keepLast;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** The CANDIDATE record of a checkpoint. */
  Checkpoint record(TrainingCheckpoint c) {
    List<TopicOffset> offsets = c.state().consumedOffsets().stream()
        .map(o -> TopicOffset.newBuilder().setTopic(o.topic()).setPartition(o.partition()).setOffset(o.offset()).build())
        .toList();
    return Checkpoint.newBuilder()
        .setVersion(c.version())
        .setParentVersion(c.state().parentVersion())
        .setUri(c.dir().toAbsolutePath().normalize().toUri().toString())
        .setSha256(c.sha256())
        .setStep(c.step())
        .setConsumedOffsets(offsets)
        .setMetrics(new java.util.TreeMap<>(c.state().metrics()))
        .setStatus(CheckpointStatus.CANDIDATE)
        .setCreatedAt(clock.instant())
        .build();
  }

  /** Queues {@code c} for announcement and tries to send everything queued. */
  List<Checkpoint> publish(TrainingCheckpoint c) {
    backlog.addLast(c);
    return flush();
  }

  /**
   * Sends the queued checkpoints in order, each waited for; stops at the first failure (logged,
   * kept for the next call).
   *
   * @return the records sent
   */
  List<Checkpoint> flush() {
    List<Checkpoint> sent = new ArrayList<>();
    while (!backlog.isEmpty()) {
      TrainingCheckpoint c = backlog.peekFirst();
      Checkpoint rec = record(c);
      try {
        producer.send(new ProducerRecord<>(topic, rec.getVersion(), SERDE.encode(topic, rec)))
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        LOG.warn("checkpoint {} is durable but its record could not be sent to {} ({}); retrying later", c.version(),
            topic, e instanceof ExecutionException ? e.getCause() : e.toString());
        return sent;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return sent;
      }
      backlog.removeFirst();
      catalog.record(rec.getVersion(), rec.getStatus());
      sent.add(rec);
    }
    return sent;
  }

  /** Checkpoints written but not announced yet. */
  int pending() {
    return backlog.size();
  }

  /**
   * After a restart: reads the topic and queues every local checkpoint it has no record of (a
   * crash hit between the durable write and the send), oldest first, then sends them.
   *
   * @return the versions queued
   */
  List<String> publishUnpublished() {
    catalog.refresh(timeout);
    List<String> queued = new ArrayList<>();
    for (TrainingCheckpoint c : store.list()) {
      if (!catalog.contains(c.version()) && backlog.stream().noneMatch(b -> b.version().equals(c.version()))) {
        backlog.addLast(c);
        queued.add(c.version());
      }
    }
    if (!queued.isEmpty()) {
      LOG.info("announcing checkpoints written before a crash: {}", queued);
      flush();
    }
    return queued;
  }

  /**
   * Deletes old checkpoints: all but the newest {@code keep-last-checkpoints}, every PROMOTED and
   * every unannounced one.
   *
   * @return the deleted versions (empty when the topic could not be read)
   */
  List<String> retain() {
    try {
      catalog.refresh(timeout);
    } catch (RuntimeException e) {
      LOG.warn("not deleting old checkpoints: cannot read the PROMOTED versions from {} ({})", topic, e.toString());
      return List.of();
    }
    Set<String> keep = new TreeSet<>(catalog.promoted());
    backlog.forEach(c -> keep.add(c.version()));
    List<String> deleted = store.retain(keepLast, keep);
    if (!deleted.isEmpty()) {
      LOG.info("deleted old checkpoints {} (keeping the last {} and PROMOTED {})", deleted, keepLast, catalog.promoted());
    }
    return deleted;
  }
}
