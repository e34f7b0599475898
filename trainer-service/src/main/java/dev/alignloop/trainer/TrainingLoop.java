package dev.alignloop.trainer;

import dev.alignloop.common.kafka.KafkaSettings;
import dev.alignloop.diffusion.checkpoint.CheckpointStore;
import dev.alignloop.diffusion.checkpoint.TopicOffset;
import dev.alignloop.diffusion.checkpoint.TrainingCheckpoint;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.streaming.DeadLetterRouter;
import dev.alignloop.streaming.InputRecord;
import dev.alignloop.streaming.tracking.OffsetTrackingConsumer;
import dev.alignloop.streaming.tracking.TrackedBatch;
import dev.alignloop.trainer.LabelLoader.Prepared;
import dev.alignloop.trainer.LabelLoader.PreparedPair;
import dev.alignloop.trainer.TrainedLabels.Entry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the training loop on the training thread: restore, then poll → verify → train →
 * checkpoint until stopped. Owns its Kafka clients. The invariants that make every label train
 * exactly once:
 *
 * <ul>
 *   <li>Labels are handed out ({@link OffsetTrackingConsumer#poll}) only as many as the micro-batch
 *       still needs, so when an optimizer step completes, every record handed out is either in
 *       its gradients or dead-lettered: the consumer's positions at that moment are exactly the
 *       offsets after the labels in the weights, and only those positions go into a checkpoint.
 *   <li>The checkpoint is written atomically; only after it is durable are the offsets committed
 *       (monitoring) and the {@code Checkpoint} announced. A restart seeks to the newest verified
 *       checkpoint's offsets, so work after it is redone and work in it is never repeated.
 *   <li>Dead letters covered by a checkpoint are flushed (acknowledged) before it is written.
 * </ul>
 *
 * After {@code halted} turns true (a simulated crash) the loop performs no further side effect.
 */
final class TrainingLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);
  private static final AvroSerde<PreferenceLabel> LABELS = AvroSerde.of(PreferenceLabel.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final TrainerConfig config;
  private final KafkaSettings kafka;
  private final DpoTrainer trainer;
  private final TrainerListener listener;
  private final BooleanSupplier halted;
  private final CountDownLatch stopSignal;
  private final Clock clock;
  private final CheckpointStore store;
  private OffsetTrackingConsumer<PreferenceLabel> consumer;
  private KafkaProducer<String, byte[]> producer;
  private CheckpointCatalog catalog;
  private CheckpointPublisher publisher;
  private DeadLetterSink deadLetters;

  private final List<PreparedPair> pending = new ArrayList<>();
  private long pendingSince;
  private List<InputRecord<PreferenceLabel>> retry = List.of();
  private int failures;
  private Map<TopicPartition, Long> positionsAtStep = Map.of();
  private final List<Entry> trainedSince = new ArrayList<>();
  private final Map<String, double[]> metricSums = new LinkedHashMap<>();
  private String parentVersion;
  private long stepAtCheckpoint;
  private long lastCheckpointNanos;
  /** When labels last arrived or a step was taken: the clock of {@code checkpoint-when-idle}. */
  private long lastActivityNanos;
  private long lastPublishAttempt;
  private long lastLogNanos;
  private long pairsAtLog;
  private StepReport lastStep;

  TrainingLoop(TrainerConfig config, KafkaSettings kafka, DpoTrainer trainer, TrainerListener listener,
      BooleanSupplier halted, CountDownLatch stopSignal, Clock clock) {
    this.config = config;
    this.kafka = kafka;
    this.trainer = trainer;
    this.listener = listener;
    this.halted = halted;
    this.stopSignal = stopSignal;
    this.clock = clock;
    this.store = new CheckpointStore(config.checkpointPath());
  }

  /** Restores the newest verified checkpoint (if any), opens the clients and seeks to its offsets. */
  void open() {
    store.cleanTemporary();
    Optional<TrainingCheckpoint> latest = store.latestVerified();
    store.latest().filter(c -> latest.isEmpty() || !c.version().equals(latest.get().version())).ifPresent(c ->
        LOG.warn("newest checkpoint {} fails verification; resuming from {}", c.version(),
            latest.map(TrainingCheckpoint::version).orElse("the base model")));
    latest.ifPresent(trainer::restore);
    producer = new KafkaProducer<>(kafka.producer(), new StringSerializer(), new ByteArraySerializer());
    deadLetters = new DeadLetterSink(new DeadLetterRouter(TrainerWorker.SERVICE, clock, config.deadLetterTopic()),
        producer, listener);
    catalog = new CheckpointCatalog(kafka, config.checkpointsTopic(), config.publishTimeout());
    publisher = new CheckpointPublisher(config.checkpointsTopic(), producer, catalog, store,
        config.keepLastCheckpoints(), config.publishTimeout(), clock);
    consumer = OffsetTrackingConsumer.<PreferenceLabel>builder()
        .setKafka(kafka)
        .setTopic(config.inputTopic(), LABELS.safeDeserializer())
        .setGroupId(config.groupId())
        .optMaxPollRecords(config.maxPollRecords())
        .optConsumerProperty(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, config.fetchMaxBytes())
        .optConsumerProperty(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, config.fetchMaxBytes())
        .build();
    Map<TopicPartition, Long> offsets = new HashMap<>();
    latest.ifPresent(c -> c.state().consumedOffsets()
        .forEach(o -> offsets.put(new TopicPartition(o.topic(), o.partition()), o.offset())));
    consumer.seek(offsets);
    positionsAtStep = Map.copyOf(offsets);
    publisher.publishUnpublished();
    if (!offsets.isEmpty()) {
      commitQuietly(offsets);
    }
    parentVersion = latest.map(TrainingCheckpoint::version).orElse(null);
    stepAtCheckpoint = trainer.step();
    lastCheckpointNanos = System.nanoTime();
    lastActivityNanos = lastCheckpointNanos;
    lastLogNanos = lastCheckpointNanos;
    pairsAtLog = trainer.pairsSeen();
    LOG.info("training from {} (step {}) on {} at {}; checkpoints in {}", parentVersion == null ? "the base model"
        : parentVersion, trainer.step(), config.inputTopic(), offsets.isEmpty() ? "the beginning" : offsets,
        store.root().toAbsolutePath());
    String from = parentVersion;
    safely(() -> listener.onResumed(from, trainer.step(), trainer.pairsSeen()));
  }

  /**
   * One iteration.
   *
   * @return false once {@code max-train-steps} is reached (the final checkpoint is written)
   */
  boolean runOnce() {
    if (publisher.pending() > 0 && System.nanoTime() - lastPublishAttempt > MAX_BACKOFF.toNanos()) {
      lastPublishAttempt = System.nanoTime();
      publisher.flush();
    }
    List<InputRecord<PreferenceLabel>> records = retry;
    if (records.isEmpty()) {
      TrackedBatch<PreferenceLabel> batch;
      try {
        batch = consumer.poll(config.batchSize() - pending.size(), config.pollTimeout());
      } catch (WakeupException e) {
        return true; // close() or halt(): the caller looks at the flags
      }
      if (halted.getAsBoolean()) {
        return true;
      }
      batch.failures().forEach(deadLetters::badRecord);
      records = batch.records();
    }
    if (!records.isEmpty()) {
      lastActivityNanos = System.nanoTime();
      if (!prepare(records)) {
        return true;
      }
    }
    boolean full = pending.size() >= config.batchSize();
    boolean lingered = !pending.isEmpty() && System.nanoTime() - pendingSince >= config.batchLinger().toNanos();
    if ((full || lingered) && !halted.getAsBoolean()) {
      DpoTrainer.MicroBatch mb = trainer.train(List.copyOf(pending));
      pending.clear();
      mb.step().ifPresent(this::stepped);
    }
    if (!halted.getAsBoolean() && checkpointDue()) {
      checkpoint();
    }
    return config.maxTrainSteps() == 0 || trainer.step() < config.maxTrainSteps();
  }

  /** Verifies and decodes; false when a transient failure left the records for a retry. */
  private boolean prepare(List<InputRecord<PreferenceLabel>> records) {
    Prepared p;
    try {
      p = trainer.prepare(records);
    } catch (RuntimeException e) {
      failures++;
      if (config.maxConsecutiveFailures() > 0 && failures >= config.maxConsecutiveFailures()) {
        throw new TrainerException("loading the images of " + records.size() + " labels failed " + failures
            + " times in a row (alignloop.trainer.max-consecutive-failures)", e);
      }
      Duration backoff = Duration.ofSeconds(1L << Math.min(failures - 1, 5));
      backoff = backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
      LOG.warn("loading {} labels failed (attempt {}), retrying in {}: {}", records.size(), failures, backoff, e.toString());
      retry = records;
      try {
        stopSignal.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      return false;
    }
    failures = 0;
    retry = List.of();
    if (halted.getAsBoolean()) {
      return false;
    }
    p.rejected().forEach(deadLetters::rejected);
    if (pending.isEmpty() && !p.pairs().isEmpty()) {
      pendingSince = System.nanoTime();
    }
    pending.addAll(p.pairs());
    return true;
  }

  private void stepped(StepReport s) {
    positionsAtStep = consumer.positions(); // every record handed out is now trained or dead-lettered
    for (InputRecord<PreferenceLabel> r : s.labels()) {
      trainedSince.add(new Entry(r.value().getPairId(), r.topic(), r.partition(), r.offset(), null));
    }
    s.metrics().forEach((k, v) -> {
      double[] sum = metricSums.computeIfAbsent(k, x -> new double[2]);
      sum[0] += v;
      sum[1]++;
    });
    lastStep = s;
    long now = System.nanoTime();
    lastActivityNanos = now;
    if (now - lastLogNanos >= LOG_EVERY_NANOS || s.seconds() >= 1) {
      double rate = (trainer.pairsSeen() - pairsAtLog) / ((now - lastLogNanos) / 1e9);
      LOG.info("step {}: loss {} implicit_acc {} lr {} grad_norm {} ({} pairs/s, {} s/step)", s.step(),
          fmt(s.metric("loss")), fmt(s.metric("implicit_acc")), fmt(s.lr()), fmt(s.gradNorm()), fmt(rate),
          fmt(s.seconds()));
      lastLogNanos = now;
      pairsAtLog = trainer.pairsSeen();
    }
    safely(() -> listener.onStep(s));
  }

  private boolean checkpointDue() {
    long steps = trainer.step() - stepAtCheckpoint;
    if (steps <= 0) {
      return false;
    }
    Duration interval = config.checkpointMaxInterval();
    Duration idle = config.checkpointWhenIdle();
    long now = System.nanoTime();
    return steps >= config.checkpointEverySteps()
        || !interval.isZero() && now - lastCheckpointNanos >= interval.toNanos()
        || !idle.isZero() && pending.isEmpty() && now - lastActivityNanos >= idle.toNanos()
        || config.maxTrainSteps() > 0 && trainer.step() >= config.maxTrainSteps();
  }

  /** Writes, commits, announces and retains a checkpoint of the state after the last optimizer step. */
  private void checkpoint() {
    // Dead letters this checkpoint skips past must exist before it does.
    deadLetters.flush(config.deadLetterTopic());
    if (halted.getAsBoolean()) {
      return;
    }
    Map<TopicPartition, Long> positions = positionsAtStep;
    List<Entry> covered = deadLetters.takeCovered(positions);
    String version = String.format("ckpt-%08d-%s", trainer.step(), UUID.randomUUID().toString().substring(0, 8));
    TrainedLabels labels = new TrainedLabels(version, parentVersion, trainedSince, covered);
    TrainingCheckpoint c = trainer.writeCheckpoint(store, version, parentVersion, offsets(positions), summary(),
        labels.writer());
    safely(() -> listener.onCheckpointWritten(c));
    if (halted.getAsBoolean()) {
      return; // a crash between the durable write and the commit: nothing is committed or announced
    }
    commitQuietly(positions); // only now: the group's lag never runs ahead of what a restart resumes from
    lastPublishAttempt = System.nanoTime();
    List<Checkpoint> sent = publisher.publish(c);
    boolean published = sent.stream().anyMatch(r -> r.getVersion().equals(version));
    parentVersion = version;
    stepAtCheckpoint = trainer.step();
    lastCheckpointNanos = System.nanoTime();
    trainedSince.clear();
    metricSums.clear();
    LOG.info("checkpoint {} at step {} ({} labels, {} dead-lettered since {}){}: {}", version, c.step(),
        labels.trained().size(), covered.size(), labels.parentVersion(), published ? "" : " [not announced yet]",
        c.dir());
    publisher.retain();
    safely(() -> listener.onCheckpoint(c, labels, published));
  }

  /** Means over the steps since the last checkpoint; {@code lr} is the last step's. */
  private Map<String, Double> summary() {
    Map<String, Double> m = new LinkedHashMap<>();
    metricSums.forEach((k, s) -> {
      double v = s[0] / s[1];
      if (Double.isFinite(v)) {
        m.put(k, v);
      }
    });
    if (lastStep != null) {
      m.put("lr", lastStep.lr());
    }
    m.put("step", (double) trainer.step());
    return m;
  }

  private static List<TopicOffset> offsets(Map<TopicPartition, Long> positions) {
    return positions.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition)))
        .map(e -> new TopicOffset(e.getKey().topic(), e.getKey().partition(), e.getValue()))
        .toList();
  }

  private void commitQuietly(Map<TopicPartition, Long> offsets) {
    try {
      try {
        consumer.commit(offsets);
      } catch (WakeupException e) {
        consumer.commit(offsets); // a close() woke a consumer that was not polling: the wake-up is spent now
      }
    } catch (KafkaException e) {
      // Monitoring only: the checkpoint, not the group, is where a restart resumes.
      LOG.warn("could not commit {} for group {} (lag monitoring only): {}", offsets, config.groupId(), e.toString());
    }
  }

  /** Graceful end: a last checkpoint if steps were taken since the previous one (never a half step). */
  void finish(boolean checkpoint) {
    if (checkpoint && trainer.step() > stepAtCheckpoint && !halted.getAsBoolean()) {
      checkpoint();
    }
    if (publisher.pending() > 0) {
      publisher.flush();
    }
    if (!pending.isEmpty() || trainer.pendingMicroBatches() > 0) {
      LOG.info("stopping with {} labels not yet in an optimizer step: they are read again on restart",
          pending.size() + trainer.pendingMicroBatches() * config.batchSize());
    }
  }

  /** Labels fetched but not handed out yet. */
  int buffered() {
    OffsetTrackingConsumer<PreferenceLabel> c = consumer;
    return c == null ? 0 : c.buffered();
  }

  /** Interrupts a blocked poll (any thread). */
  void wakeup() {
    OffsetTrackingConsumer<PreferenceLabel> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  /** Closes the clients; {@code abrupt} drops unsent records as a crash would. */
  void close(boolean abrupt) {
    Duration wait = abrupt ? Duration.ZERO : Duration.ofSeconds(10);
    for (AutoCloseable c : new AutoCloseable[] {consumer, catalog}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        LOG.debug("close failed", e);
      }
    }
    if (producer != null) {
      producer.close(wait);
    }
  }

  @Override
  public void close() {
    close(false);
  }

  private void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("trainer listener failed", e);
    }
  }

  private static String fmt(double v) {
    return String.format("%.4g", v);
  }
}
