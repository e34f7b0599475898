package dev.alignloop.trainer;

import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.common.blob.BlobStore;
import dev.alignloop.common.blob.BlobStoreOptions;
import dev.alignloop.common.blob.BlobStores;
import dev.alignloop.common.blob.StoredBlob;
import dev.alignloop.common.image.Png;
import dev.alignloop.diffusion.checkpoint.CheckpointStore;
import dev.alignloop.diffusion.checkpoint.TrainingCheckpoint;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.avro.BlobRef;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.DeadLetter;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.schemas.avro.RewardModelRef;
import dev.alignloop.streaming.InputRecord;
import io.micronaut.context.ApplicationContext;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One trainer world per test on the shared embedded broker: its own label, checkpoint and DLQ
 * topics and group, a file blob store of real PNGs, a tiny random model and a checkpoint root,
 * all in a temp directory.
 */
final class TrainerFixture implements AutoCloseable {
  static final AvroSerde<PreferenceLabel> LABELS = AvroSerde.of(PreferenceLabel.class);
  static final AvroSerde<Checkpoint> CHECKPOINTS = AvroSerde.of(Checkpoint.class);
  static final AvroSerde<DeadLetter> DEAD_LETTERS = AvroSerde.of(DeadLetter.class);
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  final KafkaTestCluster kafka;
  final Path dir;
  final Path model;
  final Path checkpoints;
  final BlobStore blobs;
  final String labelsTopic;
  final String checkpointsTopic;
  final String dlqTopic;
  final String group = KafkaTestCluster.uniqueId("trainer");

  TrainerFixture(KafkaTestCluster kafka, Path dir) {
    this.kafka = kafka;
    this.dir = dir;
    this.model = TinyModel.write(dir.resolve("model"), 7);
    this.checkpoints = dir.resolve("checkpoints");
    this.blobs = BlobStores.open(dir.resolve("blobs").toUri().toString(), BlobStoreOptions.defaults());
    this.labelsTopic = kafka.newTopic("labels", 3);
    this.checkpointsTopic = kafka.newTopic("checkpoints");
    this.dlqTopic = kafka.newTopic("dlq");
  }

  /** Properties of a trainer context for this world (loop not auto-started); {@code extra} wins. */
  Map<String, Object> properties(Map<String, Object> extra) {
    Map<String, Object> p = new HashMap<>();
    p.put("alignloop.kafka.bootstrap.servers", kafka.bootstrapServers());
    p.put("alignloop.kafka.client.id.prefix", "trainer-test");
    p.put("alignloop.blob.uri", dir.resolve("blobs").toUri().toString());
    p.put("alignloop.trainer.model-dir", model.toString());
    p.put("alignloop.trainer.checkpoint-dir", checkpoints.toString());
    p.put("alignloop.trainer.input-topic", labelsTopic);
    p.put("alignloop.trainer.checkpoints-topic", checkpointsTopic);
    p.put("alignloop.trainer.dead-letter-topic", dlqTopic);
    p.put("alignloop.trainer.group-id", group);
    p.put("alignloop.trainer.batch-size", 2);
    p.put("alignloop.trainer.checkpoint-every-steps", 2);
    p.put("alignloop.trainer.checkpoint-max-interval", "0s");
    p.put("alignloop.trainer.keep-last-checkpoints", 100);
    // Full micro-batches only (deterministic step counts) unless a test exercises the linger.
    p.put("alignloop.trainer.batch-linger", "60s");
    p.put("alignloop.trainer.poll-timeout", "200ms");
    p.put("alignloop.trainer.learning-rate", 1e-3);
    p.put("alignloop.trainer.lr-warmup-steps", 0);
    p.put("alignloop.trainer.djl-threads", 1); // tiny model on shared cores: more threads only contend
    p.put("alignloop.trainer.enabled", false);
    p.put("micronaut.server.port", -1);
    p.putAll(extra);
    return p;
  }

  /** A trainer context; its worker is not started (add listeners, then {@code worker(ctx).start()}). */
  ApplicationContext context(Map<String, Object> extra) {
    return ApplicationContext.run(properties(extra));
  }

  static TrainerWorker worker(ApplicationContext ctx) {
    return ctx.getBean(TrainerWorker.class);
  }

  /** {@code n} labels over alternating prompts, winner a smooth image and loser noise, stored in {@code blobs}. */
  static List<PreferenceLabel> pairLabels(BlobStore blobs, int n) {
    List<PreferenceLabel> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(label("p" + i, i % 2 == 0 ? "a red circle" : "a blue square",
          store(blobs, image(TinyModel.SIZE, 10L * i, true)),
          store(blobs, image(TinyModel.SIZE, 10L * i + 1, false))));
    }
    return out;
  }

  /** {@code l} as if consumed from partition 0 of a "labels" topic at {@code offset}. */
  static InputRecord<PreferenceLabel> labelRecord(PreferenceLabel l, long offset) {
    return new InputRecord<>("labels", 0, offset, 0L, l.getPairId(), l);
  }

  /** Trains {@code batch} (none may be rejected) and returns the optimizer step it completed. */
  static StepReport trainStep(DpoTrainer t, List<InputRecord<PreferenceLabel>> batch) {
    DpoTrainer.BatchOutcome out = t.trainBatch(batch);
    org.junit.jupiter.api.Assertions.assertEquals(List.of(), out.rejected());
    return out.trained().step().orElseThrow();
  }

  /** A {@code SIZE × SIZE} PNG in the blob store: a smooth pattern ({@code smooth}) or noise. */
  BlobRef png(long seed, boolean smooth) {
    return png(image(TinyModel.SIZE, seed, smooth));
  }

  BlobRef png(BufferedImage image) {
    return store(blobs, image);
  }

  /** Stores {@code image} as a PNG and returns its reference. */
  static BlobRef store(BlobStore blobs, BufferedImage image) {
    StoredBlob b = blobs.put(Png.encode(image), "image/png");
    return BlobRef.newBuilder().setUri(b.uri()).setSha256(b.sha256()).setWidth(image.getWidth())
        .setHeight(image.getHeight()).setMediaType("image/png").build();
  }

  static BufferedImage image(int side, long seed, boolean smooth) {
    SplittableRandom r = new SplittableRandom(seed);
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    int base = r.nextInt(0x1000000);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        img.setRGB(x, y, smooth ? (base + x * 0x0A0000 + y * 0x000A00) & 0xFFFFFF : r.nextInt(0x1000000));
      }
    }
    return img;
  }

  /** A valid label: a smooth winner, a noisy loser. */
  PreferenceLabel label(String pairId, String prompt, long seed) {
    return label(pairId, prompt, png(seed, true), png(seed + 1, false));
  }

  static PreferenceLabel label(String pairId, String prompt, BlobRef winner, BlobRef loser) {
    return PreferenceLabel.newBuilder().setPairId(pairId).setPrompt(prompt).setWinner(winner).setLoser(loser)
        .setScoreWinner(0.8).setScoreLoser(0.3).setMargin(0.5)
        .setRewardModels(List.of(RewardModelRef.newBuilder().setName("tiny").setSha256("ab".repeat(32)).build()))
        .setPolicyVersion("base").setSource("ai").setLabelledAt(Instant.ofEpochMilli(1_760_000_000_000L)).build();
  }

  /** {@code n} valid labels {@code prefix-0 ..}, prompts from the tokenizer's words. */
  List<PreferenceLabel> labels(String prefix, int n) {
    String[] colours = {"red", "green", "blue"};
    String[] shapes = {"circle", "square", "triangle"};
    List<PreferenceLabel> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String prompt = "a " + colours[i % 3] + " " + shapes[(i / 3) % 3];
      out.add(label(prefix + "-" + i, prompt, 1000L * i));
    }
    return out;
  }

  /** Produces labels keyed by pair id and waits for the acks. */
  void send(List<PreferenceLabel> labels) {
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (PreferenceLabel l : labels) {
      records.add(new ProducerRecord<>(labelsTopic, l.getPairId(), LABELS.encode(labelsTopic, l)));
    }
    sendRaw(records);
  }

  /** Produces raw records (any bytes, null values) and waits for the acks. */
  void sendRaw(List<ProducerRecord<String, byte[]>> records) {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(kafka.producerProps(), new StringSerializer(), new ByteArraySerializer())) {
      List<Future<?>> acks = new ArrayList<>();
      for (ProducerRecord<String, byte[]> r : records) {
        acks.add(producer.send(r));
      }
      for (Future<?> ack : acks) {
        ack.get();
      }
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError("produce failed", e);
    }
  }

  List<Checkpoint> checkpointRecords() {
    return readToEnd(checkpointsTopic, CHECKPOINTS.deserializer()).stream().map(ConsumerRecord::value).toList();
  }

  List<DeadLetter> deadLetters() {
    return readToEnd(dlqTopic, DEAD_LETTERS.deserializer()).stream().map(ConsumerRecord::value).toList();
  }

  /** Next offset per partition of the label topic (its end). */
  Map<Integer, Long> labelEndOffsets() {
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(kafka.consumerProps(null), new StringDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor(labelsTopic, TIMEOUT).stream()
          .map(p -> new TopicPartition(labelsTopic, p.partition())).toList();
      Map<Integer, Long> out = new HashMap<>();
      c.endOffsets(parts, TIMEOUT).forEach((tp, o) -> out.put(tp.partition(), o));
      return out;
    }
  }

  /** Every committed record of a topic, read from the beginning to its end. */
  <V> List<ConsumerRecord<String, V>> readToEnd(String topic, Deserializer<V> values) {
    Map<String, Object> props = kafka.consumerProps(null);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, V> c = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
      List<TopicPartition> parts = c.partitionsFor(topic, TIMEOUT).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts, TIMEOUT);
      List<ConsumerRecord<String, V>> out = new ArrayList<>();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to " + end + " within " + TIMEOUT);
        }
        c.poll(Duration.ofMillis(100)).forEach(out::add);
      }
      return out;
    }
  }

  /** The local checkpoints, oldest first. */
  List<TrainingCheckpoint> localCheckpoints() {
    return new CheckpointStore(checkpoints).list();
  }

  /**
   * Every label trained into {@code version}: the union of {@code trained_labels.json} over its
   * lineage (following {@code parent_version}), newest first, as a list so duplicates show.
   */
  List<TrainedLabels.Entry> lineage(String version) {
    List<TrainedLabels.Entry> out = new ArrayList<>();
    String v = version;
    while (v != null) {
      TrainedLabels t = TrainedLabels.read(checkpoints.resolve(v));
      out.addAll(t.trained());
      v = t.parentVersion();
    }
    return out;
  }

  @Override
  public void close() {
    blobs.close();
  }
}
