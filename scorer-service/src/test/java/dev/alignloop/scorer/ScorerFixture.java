package dev.alignloop.scorer;

import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.common.blob.BlobStore;
import dev.alignloop.common.blob.BlobStoreOptions;
import dev.alignloop.common.blob.BlobStores;
import dev.alignloop.common.image.Png;
import dev.alignloop.reward.OnnxRewardScorer;
import dev.alignloop.reward.RewardManifest;
import dev.alignloop.reward.ScorerOptions;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.avro.BlobRef;
import dev.alignloop.schemas.avro.DeadLetter;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.schemas.avro.SamplerSettings;
import dev.alignloop.scorer.bench.ScorerBench;
import io.micronaut.context.ApplicationContext;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
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
 * One scorer world per test on the shared embedded broker: its own topics, group and
 * transactional id, a file blob store and a tiny random reward model in a temp directory.
 */
final class ScorerFixture implements AutoCloseable {

  static final AvroSerde<ImagePair> PAIRS = AvroSerde.of(ImagePair.class);
  static final AvroSerde<PreferenceLabel> LABELS = AvroSerde.of(PreferenceLabel.class);
  static final AvroSerde<DeadLetter> DEAD_LETTERS = AvroSerde.of(DeadLetter.class);
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  final KafkaTestCluster kafka;
  final Path dir;
  final BlobStore blobs;
  final Path manifest;
  final String pairsTopic;
  final String labelsTopic;
  final String dlqTopic;
  final String group = KafkaTestCluster.uniqueId("scorer");
  final String instance = KafkaTestCluster.uniqueId("i");

  ScorerFixture(KafkaTestCluster kafka, Path dir, int partitions) {
    this.kafka = kafka;
    this.dir = dir;
    this.blobs = BlobStores.open(dir.resolve("blobs").toUri().toString(), BlobStoreOptions.defaults());
    this.manifest = ScorerBench.tinyModel(dir.resolve("model-1"), 1);
    this.pairsTopic = kafka.newTopic("pairs", partitions);
    this.labelsTopic = kafka.newTopic("labels", partitions);
    this.dlqTopic = kafka.newTopic("dlq");
  }

  /** Properties of a scorer context for this world; {@code extra} wins. */
  Map<String, Object> properties(Map<String, Object> extra) {
    Map<String, Object> p = new HashMap<>();
    p.put("alignloop.kafka.bootstrap.servers", kafka.bootstrapServers());
    p.put("alignloop.kafka.client.id.prefix", "scorer-test");
    p.put("alignloop.blob.uri", dir.resolve("blobs").toUri().toString());
    p.put("alignloop.scorer.models", manifest.toString());
    p.put("alignloop.scorer.input-topic", pairsTopic);
    p.put("alignloop.scorer.output-topic", labelsTopic);
    p.put("alignloop.scorer.dead-letter-topic", dlqTopic);
    p.put("alignloop.scorer.group-id", group);
    p.put("alignloop.scorer.instance-id", instance);
    p.put("alignloop.scorer.max-poll-records", 8);
    p.put("alignloop.scorer.intra-op-threads", 1);
    p.put("alignloop.scorer.tie-margin", 0.001);
    p.put("micronaut.server.port", -1);
    p.putAll(extra);
    return p;
  }

  /** A started scorer context (the worker starts on its StartupEvent). */
  ApplicationContext start(Map<String, Object> extra) {
    return ApplicationContext.run(properties(extra));
  }

  /** A random {@code side × side} PNG in the blob store. */
  BlobRef png(int side, long seed) {
    return ScorerBench.store(blobs, ScorerBench.image(side, seed));
  }

  /** A PNG of this image in the blob store. */
  BlobRef png(BufferedImage image) {
    return ScorerBench.store(blobs, image);
  }

  static ImagePair pair(String id, String prompt, BlobRef a, BlobRef b) {
    return ImagePair.newBuilder().setPairId(id).setPromptId("prompt-" + id).setPrompt(prompt).setPolicyVersion("v7")
        .setSampler(SamplerSettings.newBuilder().setName("ddim").setSteps(10).setGuidance(5f).setSeedA(1L)
            .setSeedB(2L).build())
        .setImageA(a).setImageB(b).setCreatedAt(Instant.ofEpochMilli(1_760_000_000_000L)).build();
  }

  /** Produces pairs keyed by pair id, and waits for the acks. */
  void send(List<ImagePair> pairs) {
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (ImagePair p : pairs) {
      records.add(new ProducerRecord<>(pairsTopic, p.getPairId(), PAIRS.encode(pairsTopic, p)));
    }
    sendRaw(records);
  }

  /** Produces raw records (any bytes, null values) and waits for the acks. */
  void sendRaw(List<ProducerRecord<String, byte[]>> records) {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(kafka.producerProps(), new StringSerializer(), new ByteArraySerializer())) {
      List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
      for (ProducerRecord<String, byte[]> r : records) {
        acks.add(producer.send(r));
      }
      for (var ack : acks) {
        ack.get();
      }
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError("produce failed", e);
    }
  }

  /** Every committed label, read to the last stable offset. */
  List<PreferenceLabel> labels() {
    return values(readToEnd(labelsTopic, LABELS.deserializer(), true));
  }

  /** Every label record including those of aborted or open transactions. */
  List<PreferenceLabel> labelsUncommitted() {
    return values(readToEnd(labelsTopic, LABELS.deserializer(), false));
  }

  /** Every committed dead letter. */
  List<DeadLetter> deadLetters() {
    return values(readToEnd(dlqTopic, DEAD_LETTERS.deserializer(), true));
  }

  /** Independent scores {A, B} by pair id: the same model opened on its own, one pair per run. */
  Map<String, double[]> scores(List<ImagePair> pairs) {
    Map<String, double[]> out = new HashMap<>();
    try (OnnxRewardScorer m = OnnxRewardScorer.open(manifest, ScorerOptions.defaults().withIntraOpThreads(1))) {
      for (ImagePair p : pairs) {
        out.put(p.getPairId(), m.score(p.getPrompt(), List.of(image(p.getImageA()), image(p.getImageB()))));
      }
    }
    return out;
  }

  private BufferedImage image(BlobRef ref) {
    return Png.decode(blobs.get(ref.getUri(), ref.getSha256()));
  }

  /**
   * The ids of the pairs that should be labelled at {@code tieMargin}, judged by {@link #scores};
   * fails if a pair sits so close to the margin that batching noise could flip it.
   */
  java.util.Set<String> nonTies(List<ImagePair> pairs, double tieMargin) {
    java.util.Set<String> out = new java.util.HashSet<>();
    scores(pairs).forEach((id, s) -> {
      double m = Math.abs(s[0] - s[1]);
      if (Math.abs(m - tieMargin) < 1e-5 && m != 0) { // float32 noise of batching is ~1e-6
        throw new AssertionError(id + ": margin " + m + " is too close to the tie margin " + tieMargin);
      }
      if (m >= tieMargin && m != 0) {
        out.add(id);
      }
    });
    return out;
  }

  /** The manifest's SHA-256 of the ONNX file. */
  String modelSha256() {
    return RewardManifest.load(manifest).sha256();
  }

  private static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
    return records.stream().map(ConsumerRecord::value).toList();
  }

  /** Reads a topic from the beginning to its end (the last stable offset when committed only). */
  <V> List<ConsumerRecord<String, V>> readToEnd(String topic, Deserializer<V> values, boolean committedOnly) {
    Map<String, Object> props = kafka.consumerProps(null);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
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

  @Override
  public void close() {
    blobs.close();
  }
}
