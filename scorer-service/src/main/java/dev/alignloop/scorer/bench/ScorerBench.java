package dev.alignloop.scorer.bench;

import dev.alignloop.common.bench.BenchStats;
import dev.alignloop.common.io.AtomicFiles;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.alignloop.common.blob.BlobStore;
import dev.alignloop.common.blob.BlobStoreOptions;
import dev.alignloop.common.blob.BlobStores;
import dev.alignloop.common.blob.StoredBlob;
import dev.alignloop.common.image.Png;
import dev.alignloop.reward.OnnxRewardScorer;
import dev.alignloop.reward.RewardManifest;
import dev.alignloop.reward.ScorerOptions;
import dev.alignloop.reward.image.ClipImagePreprocessor;
import dev.alignloop.reward.onnx.TinyClipOnnx;
import dev.alignloop.reward.onnx.TinyClipSpec;
import dev.alignloop.schemas.avro.BlobRef;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.SamplerSettings;
import dev.alignloop.scorer.LabelledBatch;
import dev.alignloop.scorer.PairLabeler;
import dev.alignloop.scorer.ScorerConfig;
import dev.alignloop.streaming.InputRecord;
import dev.alignloop.text.Encoding;
import dev.alignloop.text.TextTokenizer;
import dev.alignloop.text.Tokenizers;
import dev.alignloop.text.WordLevelTokenizer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * DESIGN §7's scorer target, measured side by side in one process: labels/s of {@link
 * PairLabeler} end to end (blob read + SHA-256 check + PNG decode + tokenize + preprocess + ONNX
 * Runtime + label) against raw {@code OrtSession.run} on tensors built beforehand from the SAME
 * batches with the same session settings. Target: end to end ≥ 90% of raw. Kafka is not part of
 * either side (the plumbing has its own benchmark).
 *
 * <pre>
 * java -cp ... dev.alignloop.scorer.bench.ScorerBench [--pairs 512] [--batch 32] [--poll 64] [--rounds 5]
 *     [--intra-op-threads 0] [--load-threads 2] [--spec small|heavy|b32] [--manifest path/reward.json]
 * </pre>
 * Without {@code --manifest} a random CLIP-style model is built in a temp directory: {@code small}
 * ({@link TinyClipSpec#small}, the tiny world's size, ~0.15 M multiply-adds per image), {@code
 * heavy} (same 32×32 input, a 512-channel 7×7 conv, ~80 M multiply-adds per image) or {@code b32}
 * ({@link #b32Flops}: 224 px, about a CLIP ViT-B/32's compute per image) to show how the fixed
 * per-image cost (blob read, PNG decode, preprocessing) weighs against inference. Within a round
 * the two sides alternate poll by poll; the medians over rounds are reported, with process CPU
 * time ratios and the load average. {@code bench/issue7/scorer.sh} runs the documented set.
 */
public final class ScorerBench {

  /** Words of the tiny world's prompts (and the tiny model's vocabulary). */
  public static final List<String> WORDS = List.of("a", "red", "green", "blue", "yellow", "circle", "square",
      "triangle", "above", "below", "left", "right", "of", "small", "big", "and");

  private ScorerBench() {}

  /**
   * Settings.
   *
   * @param pairs pairs per round
   * @param batchPairs pairs per batch (one {@link PairLabeler#label} call, one ORT run)
   * @param rounds timed rounds per side (after one warm-up round each)
   * @param intraOpThreads ORT intra-op threads, both sides; 0 = ORT default
   * @param loadThreads the labeler's fetch/decode threads
   * @param spec {@code small} or {@code heavy}: the random model built when {@code manifest} is null
   * @param manifest a reward manifest to use, or null for a random model
   * @param pollPairs pairs per {@link PairLabeler#label} call (a polled batch, {@code
   *     max-poll-records}), a multiple of {@code batchPairs}: the labeler scores it in runs of
   *     {@code batchPairs} ({@code max-pairs-per-batch}), loading run k + 1 while run k is scored;
   *     the raw side runs the same runs
   */
  public record Options(int pairs, int batchPairs, int rounds, int intraOpThreads, int loadThreads, String spec,
      Path manifest, int pollPairs) {
    /** Checks that a poll is whole runs. */
    public Options {
      if (pollPairs < batchPairs || pollPairs % batchPairs != 0 || pairs % pollPairs != 0) {
        throw new IllegalArgumentException("--poll " + pollPairs + " must be a multiple of --batch " + batchPairs
            + " and divide --pairs " + pairs);
      }
    }

    /** 512 pairs, polls of 64 in runs of 32 (the service's defaults), 5 rounds, ORT default threads, 2 load threads. */
    public static Options defaults() {
      return new Options(512, 32, 5, 0, 2, "small", null, 64);
    }
  }

  /**
   * Medians over the rounds.
   *
   * @param rawPairsPerSecond pairs/s through {@code OrtSession.run} alone
   * @param endToEndPairsPerSecond pairs/s through {@link PairLabeler} (labels and ties)
   * @param ratio end to end / raw
   * @param labels labels per round (the rest were ties)
   * @param cpuRatio median over rounds of (raw process CPU time / end-to-end process CPU time), all
   *     threads including ORT's: the share of the end-to-end CPU work that is inference, less
   *     sensitive to a loaded machine than wall time
   */
  public record Result(double rawPairsPerSecond, double endToEndPairsPerSecond, double ratio, int labels,
      double cpuRatio) {}

  /** Runs with {@code args} (see the class doc) and prints to stdout. */
  public static void main(String[] args) throws Exception {
    Options d = Options.defaults();
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    Options o = new Options(Integer.parseInt(a.getOrDefault("pairs", "" + d.pairs())),
        Integer.parseInt(a.getOrDefault("batch", "" + d.batchPairs())),
        Integer.parseInt(a.getOrDefault("rounds", "" + d.rounds())),
        Integer.parseInt(a.getOrDefault("intra-op-threads", "" + d.intraOpThreads())),
        Integer.parseInt(a.getOrDefault("load-threads", "" + d.loadThreads())),
        a.getOrDefault("spec", d.spec()),
        a.containsKey("manifest") ? Path.of(a.get("manifest")) : null,
        Integer.parseInt(a.getOrDefault("poll", "" + 2 * Integer.parseInt(a.getOrDefault("batch", "" + d.batchPairs())))));
    run(o, System.out);
  }

  /** Runs the benchmark; prints the setup, per-round numbers and the summary to {@code out}. */
  public static Result run(Options o, PrintStream out) throws OrtException, IOException {
    Path dir = Files.createTempDirectory("scorer-bench");
    try {
      Path manifestFile = o.manifest() != null ? o.manifest() : tinyModel(dir.resolve("model"), 42, o.spec());
      RewardManifest manifest = RewardManifest.load(manifestFile);
      ScorerOptions so = new ScorerOptions(o.intraOpThreads(), 0, 2 * o.batchPairs());
      try (BlobStore blobs = BlobStores.open(dir.resolve("blobs").toUri().toString(), BlobStoreOptions.defaults());
           OnnxRewardScorer model = OnnxRewardScorer.open(manifestFile, so);
           PairLabeler labeler = new PairLabeler(model, blobs, Clock.systemUTC(), ScorerConfig.DEFAULT_TIE_MARGIN,
               "bench", o.loadThreads(), o.batchPairs());
           RawOrt raw = new RawOrt(manifest, so)) {
        int side = manifest.image().fixedOutputSize()[0];
        List<List<InputRecord<ImagePair>>> batches = pairs(blobs, o.pairs(), o.batchPairs(), side);
        raw.prepare(batches, Tokenizers.load(manifest.tokenizer().path()), blobs);
        out.printf(Locale.ROOT, "scorer bench: %d pairs (%dx%d PNGs), polls of %d pairs scored in runs of %d, model %s,"
                + " intra-op threads %s, load threads %d, %d cores%n", o.pairs(), side, side, o.pollPairs(),
            o.batchPairs(), manifest.name(),
            o.intraOpThreads() == 0 ? "ORT default" : o.intraOpThreads(), o.loadThreads(),
            Runtime.getRuntime().availableProcessors());
        if (o.manifest() == null) {
          TinyClipSpec spec = spec(o.spec(), benchTokenizer().vocabSize());
          out.printf(Locale.ROOT, "model spec %s: %.4f G multiply-adds per image (vision), %.4f G per prompt (text),"
              + " %.3f M parameters%n", o.spec(), visionMacs(spec) / 1e9, textMacs(spec) / 1e9, params(spec) / 1e6);
        }
        out.println("load average before: " + BenchStats.loadAverage());
        int k = o.pollPairs() / o.batchPairs();
        List<List<InputRecord<ImagePair>>> polls = new ArrayList<>();
        for (int i = 0; i < batches.size(); i += k) {
          List<InputRecord<ImagePair>> poll = new ArrayList<>();
          batches.subList(i, i + k).forEach(poll::addAll);
          polls.add(poll);
        }
        for (int w = 0; w < 2; w++) { // warm-up, both sides (the JIT compiles the Java path)
          for (int i = 0; i < polls.size(); i++) {
            for (int j = 0; j < k; j++) {
              raw.run(i * k + j);
            }
            labeler.label(polls.get(i));
          }
        }
        double[] rawRates = new double[o.rounds()];
        double[] e2eRates = new double[o.rounds()];
        double[] cpuRatios = new double[o.rounds()];
        int labels = 0;
        for (int r = 0; r < o.rounds(); r++) {
          // Batch by batch, alternating which side goes first, so that both sides see the same
          // moments of a noisy machine.
          long rawNanos = 0;
          long e2eNanos = 0;
          long rawCpu = 0;
          long e2eCpu = 0;
          long[] stages = new long[2];
          labels = 0;
          for (int i = 0; i < polls.size(); i++) {
            for (int side2 = 0; side2 < 2; side2++) {
              long c0 = BenchStats.processCpuNanos();
              long t0 = System.nanoTime();
              if ((side2 + i) % 2 == 0) {
                for (int j = 0; j < k; j++) {
                  raw.run(i * k + j);
                }
                rawNanos += System.nanoTime() - t0;
                rawCpu += BenchStats.processCpuNanos() - c0;
              } else {
                LabelledBatch b = labeler.label(polls.get(i));
                e2eNanos += System.nanoTime() - t0;
                e2eCpu += BenchStats.processCpuNanos() - c0;
                if (b.rejected() > 0) {
                  throw new IllegalStateException("bench pairs were rejected: " + b.outcomes());
                }
                labels += b.labels();
                stages[0] += b.loadTime().toNanos();
                stages[1] += b.scoreTime().toNanos();
              }
            }
          }
          rawRates[r] = o.pairs() / (rawNanos / 1e9);
          e2eRates[r] = o.pairs() / (e2eNanos / 1e9);
          cpuRatios[r] = (double) rawCpu / e2eCpu;
          out.printf(Locale.ROOT, "  round %d: raw ORT %.0f pairs/s, end to end %.0f pairs/s (load %.0f ms, score %.0f ms,"
                  + " total %.0f ms) -> %.1f%%; CPU raw %.0f ms, end to end %.0f ms -> %.1f%%%n", r + 1, rawRates[r],
              e2eRates[r], stages[0] / 1e6, stages[1] / 1e6, e2eNanos / 1e6, 100 * e2eRates[r] / rawRates[r],
              rawCpu / 1e6, e2eCpu / 1e6, 100 * cpuRatios[r]);
        }
        double rawMedian = BenchStats.median(rawRates);
        double e2eMedian = BenchStats.median(e2eRates);
        Result result = new Result(rawMedian, e2eMedian, e2eMedian / rawMedian, labels, BenchStats.median(cpuRatios));
        out.println("load average after: " + BenchStats.loadAverage());
        double[] roundRatios = new double[o.rounds()];
        for (int r = 0; r < o.rounds(); r++) {
          roundRatios[r] = e2eRates[r] / rawRates[r];
        }
        out.printf(Locale.ROOT, "scorer bench: raw ORT %.0f pairs/s, end to end %.0f labels/s (%d labels, %d ties per"
                + " round): %.1f%% of raw, median per-round ratio %.1f%% (target >= 90%%); CPU-time ratio"
                + " raw/end-to-end %.1f%%%n", rawMedian, e2eMedian, labels, o.pairs() - labels, 100 * result.ratio(),
            100 * BenchStats.median(roundRatios), 100 * result.cpuRatio());
        return result;
      }
    } finally {
      AtomicFiles.deleteRecursively(dir);
    }
  }

  /**
   * Writes a tiny random reward model ({@link TinyClipSpec#small}, word-level tokenizer over
   * {@link #WORDS}) into {@code dir}; returns its manifest file.
   */
  public static Path tinyModel(Path dir, long seed) {
    return tinyModel(dir, seed, "small");
  }

  /** {@link #tinyModel(Path, long)} with the {@code small} or {@code heavy} spec (see the class doc). */
  public static Path tinyModel(Path dir, long seed, String size) {
    WordLevelTokenizer tok = benchTokenizer();
    Path tokenizer = tok.save(dir.resolve("tokenizer"));
    TinyClipSpec spec = spec(size, tok.vocabSize());
    return TinyClipOnnx.export(spec, TinyClipOnnx.random(spec, seed), dir, "tiny-clip-" + seed, tokenizer).file();
  }

  /** The word-level tokenizer of the random models: {@link #WORDS} with BOS and EOS. */
  static WordLevelTokenizer benchTokenizer() {
    return WordLevelTokenizer.builder().optBosToken("[BOS]").optEosToken("[EOS]").addWords(WORDS).build();
  }

  /** The spec named {@code size} (small, heavy, b32) for a vocabulary of {@code vocabSize}. */
  static TinyClipSpec spec(String size, int vocabSize) {
    return switch (size) {
      case "small" -> TinyClipSpec.small(vocabSize);
      case "heavy" -> new TinyClipSpec(vocabSize, 16, 64, 128, true, 32, 512, 7, 1, true, 64);
      case "b32" -> b32Flops(vocabSize);
      default -> throw new IllegalArgumentException("--spec must be small, heavy or b32, got " + size);
    };
  }

  /**
   * The largest honest stand-in for a CLIP ViT-B/32 reward model (PickScore/HPS class) that
   * {@link TinyClipSpec} can express: the same input (224×224 pixels, 77 tokens, 512-wide
   * embeddings) and about the same vision compute, ≈ 2.3 G multiply-adds per image (ViT-B/32 at
   * 224 px: ≈ 4.4 GFLOPs ≈ 2.2 G MACs), spent in one 31×31 stride-4 convolution to 256 channels.
   * Its parameters (≈ 4 M) are far fewer than ViT-B/32's ≈ 88 M: the builder has no
   * transformer blocks, so weight traffic is lower than the real model's.
   */
  public static TinyClipSpec b32Flops(int vocabSize) {
    return new TinyClipSpec(vocabSize, 77, 512, 2048, true, 224, 256, 31, 4, true, 512);
  }

  /** Multiply-adds per image of the vision tower of {@code spec} (conv + projection). */
  public static long visionMacs(TinyClipSpec spec) {
    long s = spec.convOutSize();
    return (long) spec.channels() * 3 * spec.kernel() * spec.kernel() * s * s + (long) spec.channels() * spec.projectionDim();
  }

  /** Multiply-adds per prompt of the text tower at full length (embedding lookups are free). */
  public static long textMacs(TinyClipSpec spec) {
    long perToken = (long) spec.embedDim() * spec.textHidden();
    return spec.maxLength() * perToken + (long) spec.textFeatures() * spec.projectionDim();
  }

  /** Total parameters of {@code spec}. */
  public static long params(TinyClipSpec spec) {
    long n = 0;
    for (long[] shape : spec.weightShapes().values()) {
      long k = 1;
      for (long d : shape) {
        k *= d;
      }
      n += k;
    }
    return n;
  }

  /** {@code n} pairs of distinct random {@code side × side} PNGs in the blob store, in batches. */
  static List<List<InputRecord<ImagePair>>> pairs(BlobStore blobs, int n, int batchPairs, int side) {
    Random rnd = new Random(7);
    List<List<InputRecord<ImagePair>>> batches = new ArrayList<>();
    List<InputRecord<ImagePair>> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String prompt = "a " + WORDS.get(1 + rnd.nextInt(4)) + " " + WORDS.get(5 + rnd.nextInt(3)) + " above a "
          + WORDS.get(1 + rnd.nextInt(4)) + " " + WORDS.get(5 + rnd.nextInt(3));
      ImagePair pair = ImagePair.newBuilder().setPairId("bench-" + i).setPromptId("p-" + i).setPrompt(prompt)
          .setPolicyVersion("v0")
          .setSampler(SamplerSettings.newBuilder().setName("ddim").setSteps(20).setGuidance(7.5f)
              .setSeedA(2L * i).setSeedB(2L * i + 1).build())
          .setImageA(store(blobs, image(side, rnd.nextLong()))).setImageB(store(blobs, image(side, rnd.nextLong())))
          .setCreatedAt(Instant.EPOCH).build();
      batch.add(new InputRecord<>("bench", 0, i, 0L, pair.getPairId(), pair));
      if (batch.size() == batchPairs || i == n - 1) {
        batches.add(batch);
        batch = new ArrayList<>();
      }
    }
    return batches;
  }

  /** A PNG in the store, as the generator would reference it. */
  public static BlobRef store(BlobStore blobs, BufferedImage image) {
    StoredBlob b = blobs.put(Png.encode(image), "image/png");
    return BlobRef.newBuilder().setUri(b.uri()).setSha256(b.sha256()).setWidth(image.getWidth())
        .setHeight(image.getHeight()).setMediaType("image/png").build();
  }

  /** A random RGB image: noise plus a coloured circle and square, like a shapes sample. */
  public static BufferedImage image(int side, long seed) {
    Random rnd = new Random(seed);
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        img.setRGB(x, y, rnd.nextInt(0x1000000));
      }
    }
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(rnd.nextInt(0x1000000)));
    g.fillOval(rnd.nextInt(side / 2), rnd.nextInt(side / 2), side / 3, side / 3);
    g.setColor(new Color(rnd.nextInt(0x1000000)));
    g.fillRect(rnd.nextInt(side / 2), rnd.nextInt(side / 2), side / 3, side / 3);
    g.dispose();
    return img;
  }

  /**
   * The baseline: a second session on the same ONNX bytes and settings, fed tensors built from
   * the same batches before the clock starts (tokens as the scorer pads them, pixels as the
   * manifest's preprocessing makes them).
   */
  private static final class RawOrt implements AutoCloseable {
    private final RewardManifest manifest;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    private final OrtSession session;
    private final Set<String> outputs;
    private final List<Map<String, OnnxTensor>> inputs = new ArrayList<>();

    RawOrt(RewardManifest manifest, ScorerOptions so) throws OrtException {
      this.manifest = manifest;
      options.setIntraOpNumThreads(so.intraOpThreads());
      options.setInterOpNumThreads(so.interOpThreads());
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      this.session = env.createSession(manifest.verifyChecksum(), options);
      RewardManifest.OutputSpec out = manifest.output();
      this.outputs = out.mode() == RewardManifest.OutputMode.EMBEDDINGS
          ? Set.of(out.imageName(), out.textName()) : Set.of(out.name());
    }

    void prepare(List<List<InputRecord<ImagePair>>> batches, TextTokenizer tok, BlobStore blobs) throws OrtException {
      ClipImagePreprocessor pre = new ClipImagePreprocessor(manifest.image());
      int max = manifest.tokenizer().maxLength();
      int[] hw = manifest.image().fixedOutputSize();
      int plane = 3 * hw[0] * hw[1];
      for (List<InputRecord<ImagePair>> batch : batches) {
        int b = 2 * batch.size();
        Encoding[] enc = new Encoding[b];
        float[] pixels = new float[b * plane];
        int seq = 1;
        for (int i = 0; i < b; i++) {
          ImagePair p = batch.get(i / 2).value();
          BlobRef ref = i % 2 == 0 ? p.getImageA() : p.getImageB();
          enc[i] = tok.encode(p.getPrompt(), max);
          seq = Math.max(seq, manifest.tokenizer().padding() == RewardManifest.TokenPadding.LONGEST
              ? enc[i].tokenCount() : max);
          BufferedImage img = Png.decode(blobs.get(ref.getUri(), ref.getSha256()), ref.getWidth(), ref.getHeight());
          System.arraycopy(pre.preprocess(img).chw(), 0, pixels, i * plane, plane);
        }
        long[] ids = new long[b * seq];
        long[] mask = new long[b * seq];
        for (int i = 0; i < b; i++) {
          int n = Math.min(seq, enc[i].length());
          System.arraycopy(enc[i].inputIds(), 0, ids, i * seq, n);
          System.arraycopy(enc[i].attentionMask(), 0, mask, i * seq, n);
        }
        Map<String, OnnxTensor> in = new LinkedHashMap<>();
        in.put(manifest.inputs().inputIds(), OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {b, seq}));
        if (manifest.inputs().attentionMask() != null) {
          in.put(manifest.inputs().attentionMask(),
              OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {b, seq}));
        }
        in.put(manifest.inputs().pixelValues(),
            OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {b, 3, hw[0], hw[1]}));
        inputs.add(in);
      }
    }

    /** Runs batch {@code i} and reads its outputs into Java arrays, as the scorer does. */
    void run(int i) throws OrtException {
      try (OrtSession.Result r = session.run(inputs.get(i), outputs)) {
        for (Map.Entry<String, OnnxValue> e : r) {
          FloatBuffer fb = ((OnnxTensor) e.getValue()).getFloatBuffer();
          float[] copy = new float[fb.remaining()];
          fb.get(copy);
        }
      }
    }

    @Override
    public void close() throws OrtException {
      for (Map<String, OnnxTensor> in : inputs) {
        in.values().forEach(OnnxTensor::close);
      }
      session.close();
      options.close();
    }
  }
}
