package dev.alignloop.streaming.bench;

import dev.alignloop.common.bench.BenchStats;
import dev.alignloop.common.io.AtomicFiles;
import dev.alignloop.broker.BrokerOptions;
import dev.alignloop.broker.EmbeddedKafkaBroker;
import dev.alignloop.common.kafka.KafkaSettings;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.TopicSpec;
import dev.alignloop.schemas.avro.BlobRef;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.schemas.avro.PromptRequest;
import dev.alignloop.schemas.avro.RewardModelRef;
import dev.alignloop.schemas.avro.SamplerSettings;
import dev.alignloop.streaming.eos.BatchHandler;
import dev.alignloop.streaming.eos.ExactlyOnceProcessor;
import dev.alignloop.streaming.eos.Outcome;
import dev.alignloop.streaming.eos.ProcessorListener;
import dev.alignloop.streaming.tracking.OffsetTrackingConsumer;
import dev.alignloop.streaming.tracking.TrackedBatch;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * DESIGN §7's Kafka plumbing target, measured side by side on the real embedded KRaft broker:
 * pairs/s through prompts → pairs → preferences and the trainer's read, with trivial handlers (no
 * diffusion, no ONNX, tiny blob refs), so only the plumbing is timed.
 *
 * <ul>
 *   <li><b>exactly-once</b> (the product): a source producer writes {@code PromptRequest}s; a
 *       "generator" {@link ExactlyOnceProcessor} turns each into an {@code ImagePair}; a "scorer"
 *       processor turns each pair into a {@code PreferenceLabel}; the "trainer" reads the labels
 *       read_committed with the trainer's {@link OffsetTrackingConsumer}. Avro serdes, dead-letter
 *       routing, offsets-in-transaction: all the real code.
 *   <li><b>raw</b> (the baseline): the same three hops with plain kafka-clients, no transactions
 *       (default producers, auto-commit consumers, read_uncommitted), sending the same Avro bytes
 *       pre-encoded.
 * </ul>
 *
 * Both run concurrently stage by stage (the source keeps producing while the stages consume); a
 * run's rate is N / (time from the first prompt sent to the N-th label read by the trainer).
 * Runs alternate raw, exactly-once, raw, ... on the same broker, fresh topics each run.
 *
 * <pre>
 * java -cp ... dev.alignloop.streaming.bench.PlumbingBench [--pairs 50000] [--runs 3]
 *     [--partitions 1] [--max-poll-records 500]
 * </pre>
 */
public final class PlumbingBench {

  static final AvroSerde<PromptRequest> PROMPTS = AvroSerde.of(PromptRequest.class);
  static final AvroSerde<ImagePair> PAIRS = AvroSerde.of(ImagePair.class);
  static final AvroSerde<PreferenceLabel> LABELS = AvroSerde.of(PreferenceLabel.class);
  static final Instant T0 = Instant.ofEpochMilli(1_760_000_000_123L);
  static final Duration TIMEOUT = Duration.ofMinutes(5);

  private PlumbingBench() {}

  /**
   * Settings.
   *
   * @param pairs prompts (= pairs = labels) per run
   * @param runs runs per side
   * @param partitions partitions of each topic
   * @param maxPollRecords the processors' max.poll.records (records per transaction)
   * @param consumerProps extra consumer properties of the processors (e.g. fetch.min.bytes)
   */
  public record Options(int pairs, int runs, int partitions, int maxPollRecords, Map<String, String> consumerProps) {}

  /** One run: rate and the process CPU time it took. */
  record Run(double pairsPerSecond, double cpuSeconds, double wallSeconds, double recordsPerTransaction) {}

  /** Runs with {@code args} (see the class doc). */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    Options o = new Options(Integer.parseInt(a.getOrDefault("pairs", "50000")),
        Integer.parseInt(a.getOrDefault("runs", "3")), Integer.parseInt(a.getOrDefault("partitions", "1")),
        Integer.parseInt(a.getOrDefault("max-poll-records", "500")), consumerProps(a));
    run(o, System.out);
    System.exit(0); // the broker's non-daemon threads
  }

  /** Runs the benchmark; returns {raw median, exactly-once median} pairs/s. */
  public static double[] run(Options o, PrintStream out) throws IOException {
    Path dir = Files.createTempDirectory("plumbing-bench");
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start(new BrokerOptions(dir, 0, BrokerOptions.DEFAULT_HOST, Map.of()))) {
      out.printf(Locale.ROOT, "plumbing bench: %d pairs per run, %d runs per side, %d partition(s) per topic,"
              + " max.poll.records %d, processor consumer overrides %s, %d cores, Kafka broker %s%n", o.pairs(),
          o.runs(), o.partitions(), o.maxPollRecords(), o.consumerProps(), Runtime.getRuntime().availableProcessors(),
          broker.bootstrapServers());
      out.println("load average before: " + BenchStats.loadAverage());
      // warm-up: one small run of each side (class loading, JIT, broker's first transactions)
      raw(broker, o, Math.min(o.pairs(), 20_000));
      exactlyOnce(broker, o, Math.min(o.pairs(), 20_000));
      double[] raw = new double[o.runs()];
      double[] eos = new double[o.runs()];
      for (int r = 0; r < o.runs(); r++) {
        Run rr = raw(broker, o, o.pairs());
        Run er = exactlyOnce(broker, o, o.pairs());
        raw[r] = rr.pairsPerSecond();
        eos[r] = er.pairsPerSecond();
        out.printf(Locale.ROOT, "  run %d: raw %.0f pairs/s (%.2f s, CPU %.1f s), exactly-once %.0f pairs/s (%.2f s,"
                + " CPU %.1f s, %.0f records per transaction) -> %.1f%%; load %s%n", r + 1, rr.pairsPerSecond(),
            rr.wallSeconds(), rr.cpuSeconds(), er.pairsPerSecond(), er.wallSeconds(), er.cpuSeconds(),
            er.recordsPerTransaction(), 100 * eos[r] / raw[r], BenchStats.loadAverage());
      }
      double rawMedian = BenchStats.median(raw);
      double eosMedian = BenchStats.median(eos);
      out.println("load average after: " + BenchStats.loadAverage());
      out.printf(Locale.ROOT, "plumbing bench: raw %.0f pairs/s, exactly-once %.0f pairs/s (medians): %.1f%% of raw;"
          + " target >= 10000 pairs/s exactly-once%n", rawMedian, eosMedian, 100 * eosMedian / rawMedian);
      return new double[] {rawMedian, eosMedian};
    } finally {
      AtomicFiles.deleteRecursively(dir);
    }
  }

  // ---------------------------------------------------------------- the product: exactly-once

  static Run exactlyOnce(EmbeddedKafkaBroker broker, Options o, int n) {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String prompts = topic(broker, "eos-prompts-" + id, o.partitions());
    String pairs = topic(broker, "eos-pairs-" + id, o.partitions());
    String labels = topic(broker, "eos-preferences-" + id, o.partitions());
    String dlq = topic(broker, "eos-dlq-" + id, 1);
    KafkaSettings kafka = KafkaSettings.plaintext(broker.bootstrapServers(), "bench");

    BatchHandler<PromptRequest, ImagePair> generator = BatchHandler.perRecord(
        r -> Outcome.emit(pairs, r.key(), pair(r.value().getId())));
    BatchHandler<ImagePair, PreferenceLabel> scorer = BatchHandler.perRecord(
        r -> Outcome.emit(labels, r.key(), label(r.value())));
    AtomicLong transactions = new AtomicLong();
    AtomicLong recordsIn = new AtomicLong();
    ProcessorListener counting = new ProcessorListener() {
      @Override
      public void onBatchCommitted(dev.alignloop.streaming.eos.BatchReport report) {
        transactions.incrementAndGet();
        recordsIn.addAndGet(report.recordsIn());
      }
    };
    var genBuilder = ExactlyOnceProcessor.<PromptRequest, ImagePair>builder()
        .setKafka(kafka).setInput(prompts, PROMPTS.safeDeserializer()).setOutput(PAIRS.serializer())
        .setGroupId("generator-" + id).setTransactionalId("generator-" + id, "0").setService("bench-generator")
        .setHandler(generator).optMaxPollRecords(o.maxPollRecords()).optPollTimeout(Duration.ofMillis(100))
        .optDeadLetterTopic(dlq).optListener(counting);
    var scoBuilder = ExactlyOnceProcessor.<ImagePair, PreferenceLabel>builder()
        .setKafka(kafka).setInput(pairs, PAIRS.safeDeserializer()).setOutput(LABELS.serializer())
        .setGroupId("scorer-" + id).setTransactionalId("scorer-" + id, "0").setService("bench-scorer")
        .setHandler(scorer).optMaxPollRecords(o.maxPollRecords()).optPollTimeout(Duration.ofMillis(100))
        .optDeadLetterTopic(dlq).optListener(counting);
    o.consumerProps().forEach((k, v) -> {
      genBuilder.optConsumerProperty(k, v);
      scoBuilder.optConsumerProperty(k, v);
    });
    var gen = genBuilder.build();
    var sco = scoBuilder.build();
    long cpu0 = BenchStats.processCpuNanos();
    long t0 = System.nanoTime();
    gen.start();
    sco.start();
    Thread source = new Thread(() -> {
      Properties p = kafka.producer();
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
        for (int i = 0; i < n; i++) {
          String key = "p-" + i;
          producer.send(new ProducerRecord<>(prompts, key, PROMPTS.encode(prompts, prompt(key))));
        }
        producer.flush();
      }
    }, "bench-source");
    source.start();
    long read;
    try (OffsetTrackingConsumer<PreferenceLabel> trainer = OffsetTrackingConsumer.<PreferenceLabel>builder()
        .setKafka(kafka).setTopic(labels, LABELS.safeDeserializer()).setGroupId("trainer-" + id)
        .optMaxPollRecords(2000).build()) {
      read = 0;
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (read < n) {
        TrackedBatch<PreferenceLabel> b = trainer.poll(2000, Duration.ofMillis(100));
        if (!b.failures().isEmpty()) {
          throw new IllegalStateException("trainer could not decode " + b.failures());
        }
        read += b.size();
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("exactly-once run: only " + read + " of " + n + " labels in " + TIMEOUT);
        }
      }
      trainer.commit(trainer.positions());
    }
    long t1 = System.nanoTime();
    long cpu1 = BenchStats.processCpuNanos();
    gen.close();
    sco.close();
    join(source);
    if (read != n) {
      throw new IllegalStateException("exactly-once run: " + read + " labels for " + n + " prompts");
    }
    return new Run(n / ((t1 - t0) / 1e9), (cpu1 - cpu0) / 1e9, (t1 - t0) / 1e9,
        (double) recordsIn.get() / Math.max(1, transactions.get()));
  }

  // ---------------------------------------------------------------- the baseline: raw clients

  static Run raw(EmbeddedKafkaBroker broker, Options o, int n) {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String prompts = topic(broker, "raw-prompts-" + id, o.partitions());
    String pairs = topic(broker, "raw-pairs-" + id, o.partitions());
    String labels = topic(broker, "raw-preferences-" + id, o.partitions());
    // the same bytes the exactly-once side sends, encoded before the clock starts
    byte[][] promptBytes = new byte[n][];
    byte[][] pairBytes = new byte[n][];
    byte[][] labelBytes = new byte[n][];
    for (int i = 0; i < n; i++) {
      String key = "p-" + i;
      promptBytes[i] = PROMPTS.encode(prompts, prompt(key));
      ImagePair p = pair(key);
      pairBytes[i] = PAIRS.encode(pairs, p);
      labelBytes[i] = LABELS.encode(labels, label(p));
    }
    String bootstrap = broker.bootstrapServers();
    long cpu0 = BenchStats.processCpuNanos();
    long t0 = System.nanoTime();
    Thread source = new Thread(() -> {
      try (KafkaProducer<String, byte[]> producer = rawProducer(bootstrap)) {
        for (int i = 0; i < n; i++) {
          producer.send(new ProducerRecord<>(prompts, "p-" + i, promptBytes[i]));
        }
        producer.flush();
      }
    }, "raw-source");
    Thread stage1 = relay(bootstrap, prompts, pairs, pairBytes, n, "raw-generator-" + id);
    Thread stage2 = relay(bootstrap, pairs, labels, labelBytes, n, "raw-scorer-" + id);
    source.start();
    stage1.start();
    stage2.start();
    long read = 0;
    try (KafkaConsumer<String, byte[]> trainer = rawConsumer(bootstrap, "raw-trainer-" + id)) {
      trainer.subscribe(List.of(labels));
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (read < n) {
        read += trainer.poll(Duration.ofMillis(100)).count();
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("raw run: only " + read + " of " + n + " labels in " + TIMEOUT);
        }
      }
    }
    long t1 = System.nanoTime();
    long cpu1 = BenchStats.processCpuNanos();
    join(source);
    join(stage1);
    join(stage2);
    return new Run(n / ((t1 - t0) / 1e9), (cpu1 - cpu0) / 1e9, (t1 - t0) / 1e9, 0);
  }

  /** Consumes {@code n} records of {@code in} and produces the matching {@code out} bytes (index from the key). */
  private static Thread relay(String bootstrap, String in, String out, byte[][] outBytes, int n, String group) {
    return new Thread(() -> {
      try (KafkaConsumer<String, byte[]> consumer = rawConsumer(bootstrap, group);
           KafkaProducer<String, byte[]> producer = rawProducer(bootstrap)) {
        consumer.subscribe(List.of(in));
        long done = 0;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (done < n && System.nanoTime() < deadline) {
          ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
          for (ConsumerRecord<String, byte[]> r : records) {
            int i = Integer.parseInt(r.key().substring(2));
            producer.send(new ProducerRecord<>(out, r.key(), outBytes[i]));
          }
          done += records.count();
        }
        producer.flush();
      }
    }, group);
  }

  private static KafkaProducer<String, byte[]> rawProducer(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  private static KafkaConsumer<String, byte[]> rawConsumer(String bootstrap, String group) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
  }

  // ---------------------------------------------------------------- records and helpers

  /** {@code --consumer key=value,key=value} */
  static Map<String, String> consumerProps(Map<String, String> args) {
    Map<String, String> m = new LinkedHashMap<>();
    String spec = args.getOrDefault("consumer", "");
    for (String kv : spec.split(",")) {
      if (!kv.isBlank()) {
        String[] p = kv.split("=", 2);
        m.put(p[0].trim(), p[1].trim());
      }
    }
    return m;
  }

  static PromptRequest prompt(String id) {
    return PromptRequest.newBuilder().setId(id).setPrompt("a red circle above a blue square")
        .setSource("bench").setCreatedAt(T0).build();
  }

  static BlobRef blob(String name) {
    return BlobRef.newBuilder().setUri("file:/b/" + name + ".png").setSha256("ab".repeat(32))
        .setWidth(32).setHeight(32).setMediaType("image/png").build();
  }

  static ImagePair pair(String id) {
    return ImagePair.newBuilder().setPairId(id).setPromptId(id).setPrompt("a red circle above a blue square")
        .setPolicyVersion("v0")
        .setSampler(SamplerSettings.newBuilder().setName("ddim").setSteps(20).setGuidance(7.5f)
            .setSeedA(1L).setSeedB(2L).build())
        .setImageA(blob(id + "a")).setImageB(blob(id + "b")).setCreatedAt(T0).build();
  }

  static PreferenceLabel label(ImagePair p) {
    return PreferenceLabel.newBuilder().setPairId(p.getPairId()).setPrompt(p.getPrompt())
        .setWinner(p.getImageA()).setLoser(p.getImageB()).setScoreWinner(0.9).setScoreLoser(0.2).setMargin(0.7)
        .setRewardModels(List.of(RewardModelRef.newBuilder().setName("trivial").setSha256("cd".repeat(32)).build()))
        .setPolicyVersion(p.getPolicyVersion()).setSource("ai").setLabelledAt(T0).build();
  }

  private static String topic(EmbeddedKafkaBroker broker, String name, int partitions) {
    broker.createTopics(List.of(new TopicSpec(name, partitions, (short) 1, Map.of())));
    return name;
  }

  private static void join(Thread t) {
    try {
      t.join(TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}
