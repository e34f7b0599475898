package dev.alignloop.scorer;

import dev.alignloop.common.blob.BlobStore;
import dev.alignloop.reward.PairScore;
import dev.alignloop.reward.PairScorer;
import dev.alignloop.reward.RewardEnsemble;
import dev.alignloop.reward.RewardModel;
import dev.alignloop.reward.RewardScoreException;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.schemas.avro.RewardModelRef;
import dev.alignloop.streaming.InputRecord;
import dev.alignloop.streaming.eos.BatchHandler;
import dev.alignloop.streaming.eos.Outcome;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Future;

/**
 * The scorer's logic, free of Kafka: turns a batch of {@link ImagePair}s into one {@link Outcome}
 * per pair.
 *
 * <ol>
 *   <li>Reject pairs whose prompt is empty ({@code prompt.empty}) or longer than {@link
 *       #MAX_PROMPT_CHARS} ({@code prompt.too-long}); their images are not loaded.
 *   <li>Load both images of every pair ({@link PairLoader}: blob read with SHA-256 check, strict
 *       PNG decode at the declared size). A missing or tampered blob, a corrupt PNG or a wrong
 *       size rejects that pair ({@code blob.missing}, {@code blob.checksum}, {@code
 *       image.decode}, ...; the reason names the pair id and URI).
 *   <li>Score the loaded pairs in runs of {@code max-pairs-per-batch} pairs, one model call each
 *       ({@link PairScorer#scoreAll}), so ONNX Runtime sees full batches. With two or more load
 *       threads the images of run k + 1 load while run k is scored (a pipeline: decoding and
 *       verification hide behind inference). An ensemble scores the whole batch in one call
 *       ({@link RewardEnsemble#scoreDetailed}: its running statistics update once per batch).
 *   <li>Non-finite scores reject only the pairs at fault ({@link
 *       RewardScoreException#failedIndices()}, reason {@code score.invalid}); the rest are
 *       scored again without them.
 *   <li>{@code |margin| < tie-margin}: {@link Outcome#skip skip("tie")}, counted by the
 *       processor. Otherwise a {@link PreferenceLabel} keyed by pair id.
 * </ol>
 *
 * A failure that is not a pair's fault (blob store unreachable, a reward-model error naming no
 * item, e.g. a crashed session) is thrown: the processor aborts and retries the batch, and never
 * dead-letters valid pairs for it. Used by one processing thread at a time.
 */
@Singleton
public class PairLabeler implements BatchHandler<ImagePair, PreferenceLabel>, AutoCloseable {

  /** Skip reason of ties (the {@code reason} tag of {@code alignloop_records_skipped_total}). */
  public static final String TIE = "tie";
  /** Reason code of pairs whose scores were NaN or infinite, or that the model could not take. */
  public static final String SCORE_INVALID = "score.invalid";
  /** {@code PreferenceLabel.source} of every label this service writes. */
  public static final String SOURCE = "ai";

  /** Reason code of pairs whose prompt is empty or only whitespace (the generator never writes one). */
  public static final String PROMPT_EMPTY = "prompt.empty";
  /** Reason code of pairs whose prompt is longer than {@link #MAX_PROMPT_CHARS}. */
  public static final String PROMPT_TOO_LONG = "prompt.too-long";
  /**
   * Longest prompt scored, in characters. Reward tokenizers truncate long prompts (77 CLIP tokens
   * is a few hundred characters), so this bound only stops oversized messages — a prompt of
   * hundreds of kilobytes would otherwise be tokenized in full and copied into the label.
   */
  public static final int MAX_PROMPT_CHARS = 4096;

  private final RewardModel model;
  private final PairScorer scorer;
  private final List<RewardModelRef> modelRefs;
  private final PairLoader loader;
  private final Clock clock;
  private final String outputTopic;
  private final int pairsPerRun;

  /** The bean: the configured model, blob store and clock. */
  @Inject
  public PairLabeler(ScorerConfig config, RewardModel model, BlobStore blobs, Clock clock) {
    this(model, blobs, clock, config.tieMargin(), config.outputTopic(), config.loadThreads(),
        config.maxPairsPerBatch());
  }

  /**
   * A labeler (for tests and tools) that loads a whole batch before scoring it.
   *
   * @param tieMargin pairs with {@code |margin|} below it are ties
   * @param outputTopic topic of the labels
   * @param loadThreads threads that fetch and decode images (1: the calling thread)
   */
  public PairLabeler(RewardModel model, BlobStore blobs, Clock clock, double tieMargin, String outputTopic,
      int loadThreads) {
    this(model, blobs, clock, tieMargin, outputTopic, loadThreads, Integer.MAX_VALUE);
  }

  /**
   * A labeler.
   *
   * @param tieMargin pairs with {@code |margin|} below it are ties
   * @param outputTopic topic of the labels
   * @param loadThreads threads that fetch and decode images (1: the calling thread)
   * @param pairsPerRun pairs per model call: a larger batch (single model, {@code loadThreads >=
   *     2}) is scored run by run while the next run's images load
   */
  public PairLabeler(RewardModel model, BlobStore blobs, Clock clock, double tieMargin, String outputTopic,
      int loadThreads, int pairsPerRun) {
    this.model = Objects.requireNonNull(model, "model");
    this.scorer = new PairScorer(model, tieMargin);
    this.modelRefs = RewardModels.refs(model);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.outputTopic = Objects.requireNonNull(outputTopic, "outputTopic");
    if (pairsPerRun < 1) {
      throw new IllegalArgumentException("pairsPerRun must be >= 1, got " + pairsPerRun);
    }
    this.pairsPerRun = pairsPerRun;
    this.loader = new PairLoader(blobs, loadThreads);
  }

  /** The reward models recorded on every label. */
  public List<RewardModelRef> rewardModels() {
    return modelRefs;
  }

  /** The tie margin. */
  public double tieMargin() {
    return scorer.tieThreshold();
  }

  @Override
  public List<Outcome<PreferenceLabel>> handle(List<InputRecord<ImagePair>> batch) {
    return label(batch).outcomes();
  }

  /**
   * Labels a batch.
   *
   * @return one outcome per input, in order, with the batch's statistics
   * @throws RuntimeException on a transient failure (retry the whole batch)
   */
  public LabelledBatch label(List<InputRecord<ImagePair>> batch) {
    int n = batch.size();
    List<ImagePair> pairs = batch.stream().map(InputRecord::value).toList();
    @SuppressWarnings("unchecked")
    Outcome<PreferenceLabel>[] outcomes = new Outcome[n];
    Chunk total = new Chunk();
    // Pairs whose prompt can never be scored are not loaded (null: the loader skips them).
    List<ImagePair> toLoad = pairs.stream().map(p -> promptProblem(p) == null ? p : null).toList();

    if (n <= pairsPerRun || !loader.canLoadInBackground() || model instanceof RewardEnsemble) {
      long t0 = System.nanoTime();
      List<PairLoader.Loaded> loaded = loader.loadAll(toLoad);
      long t1 = System.nanoTime();
      scoreChunk(pairs, 0, loaded, outcomes, total);
      total.loadNanos = t1 - t0;
      total.scoreNanos = System.nanoTime() - t1;
    } else {
      // Pipelined: while the model scores run k (this thread), the loader's helper threads fetch,
      // verify and decode the images of run k + 1. Same runs of pairsPerRun pairs the model would
      // make of the whole batch anyway, so ONNX Runtime sees the same batch sizes.
      long t0 = System.nanoTime();
      List<PairLoader.Loaded> loaded = loader.loadAll(toLoad.subList(0, pairsPerRun));
      total.loadNanos += System.nanoTime() - t0;
      for (int from = 0; from < n; from += pairsPerRun) {
        int to = Math.min(n, from + pairsPerRun);
        Future<List<PairLoader.Loaded>> next = to < n
            ? loader.loadInBackground(toLoad.subList(to, Math.min(n, to + pairsPerRun))) : null;
        long s0 = System.nanoTime();
        try {
          scoreChunk(pairs.subList(from, to), from, loaded, outcomes, total);
        } catch (RuntimeException e) {
          PairLoader.awaitQuietly(next); // no load outlives the batch
          throw e;
        }
        long s1 = System.nanoTime();
        total.scoreNanos += s1 - s0;
        if (next != null) {
          loaded = PairLoader.await(next);
          total.loadNanos += System.nanoTime() - s1; // only the part not hidden behind scoring
        }
      }
    }
    return new LabelledBatch(Arrays.asList(outcomes), total.margins(), total.byModel, total.labels, total.ties,
        total.rejected, Duration.ofNanos(total.loadNanos), Duration.ofNanos(total.scoreNanos));
  }

  /** What the model calls of one batch add up to. */
  private static final class Chunk {
    final List<double[]> margins = new ArrayList<>();
    final Map<String, double[]> byModel = new LinkedHashMap<>();
    int labels;
    int ties;
    int rejected;
    long loadNanos;
    long scoreNanos;

    double[] margins() {
      return margins.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
    }
  }

  /**
   * Scores {@code pairs} (the batch's pairs {@code offset ..}) with their loaded images in one
   * model call, rejecting pairs that did not load or scored non-finite, and writes their outcomes
   * at {@code offset + j}.
   */
  private void scoreChunk(List<ImagePair> pairs, int offset, List<PairLoader.Loaded> loaded,
      Outcome<PreferenceLabel>[] outcomes, Chunk total) {
    int n = pairs.size();
    List<Integer> pending = new ArrayList<>(n); // indices (into pairs) still to score
    List<PairScorer.PairInput> inputs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String promptProblem = promptProblem(pairs.get(i));
      if (promptProblem != null) {
        outcomes[offset + i] = Outcome.reject(promptProblem, null);
        total.rejected++;
      } else if (loaded.get(i) instanceof PairLoader.Rejected r) {
        outcomes[offset + i] = Outcome.reject(r.reason(), r.cause());
        total.rejected++;
      } else {
        PairLoader.Images img = (PairLoader.Images) loaded.get(i);
        pending.add(i);
        inputs.add(new PairScorer.PairInput(pairs.get(i).getPrompt(), img.imageA(), img.imageB()));
      }
    }

    Scored scored = Scored.NONE;
    while (!pending.isEmpty()) {
      try {
        scored = score(inputs);
        break;
      } catch (RewardScoreException e) {
        int[] failed = e.failedIndices();
        if (failed.length == 0) {
          throw e; // nothing points at a pair: transient (or a broken model), retry the batch
        }
        // indices are into [a0, b0, a1, b1, ...]: image k belongs to pending pair k / 2
        TreeSet<Integer> bad = new TreeSet<>();
        for (int k : failed) {
          if (k < 0 || k / 2 >= pending.size()) {
            throw e; // not an index of this request: the model broke its contract, retry
          }
          bad.add(k / 2);
        }
        for (int j : bad.descendingSet()) {
          int i = pending.remove(j);
          inputs.remove(j);
          ImagePair p = pairs.get(i);
          outcomes[offset + i] = Outcome.reject(SCORE_INVALID + ": pair " + p.getPairId() + " (" + p.getImageA().getUri()
              + ", " + p.getImageB().getUri() + ")", e);
          total.rejected++;
        }
      }
    }

    double[] margins = new double[pending.size()];
    for (int j = 0; j < pending.size(); j++) {
      int i = pending.get(j);
      PairScore s = scored.pairs.get(j);
      margins[j] = s.absMargin();
      if (s.winner() == PairScore.Winner.TIE) {
        outcomes[offset + i] = Outcome.skip(TIE);
        total.ties++;
      } else {
        ImagePair p = pairs.get(i);
        outcomes[offset + i] = Outcome.emit(outputTopic, p.getPairId(), toLabel(p, s));
        total.labels++;
      }
    }
    total.margins.add(margins);
    scored.byModel.forEach((k, v) -> total.byModel.merge(k, v, PairLabeler::concat));
  }

  /** The label of a non-tie pair. */
  private PreferenceLabel toLabel(ImagePair pair, PairScore s) {
    boolean aWins = s.winner() == PairScore.Winner.A;
    return PreferenceLabel.newBuilder()
        .setPairId(pair.getPairId())
        .setPrompt(pair.getPrompt())
        .setWinner(aWins ? pair.getImageA() : pair.getImageB())
        .setLoser(aWins ? pair.getImageB() : pair.getImageA())
        .setScoreWinner(s.winnerScore())
        .setScoreLoser(s.loserScore())
        .setMargin(s.absMargin())
        .setRewardModels(modelRefs)
        .setPolicyVersion(pair.getPolicyVersion())
        .setSource(SOURCE)
        .setLabelledAt(clock.instant())
        .build();
  }

  /** Scores all {@code inputs} in one model call. */
  private Scored score(List<PairScorer.PairInput> inputs) {
    if (!(model instanceof RewardEnsemble ensemble)) {
      List<PairScore> pairs = scorer.scoreAll(inputs);
      double[] raw = new double[2 * pairs.size()];
      for (int j = 0; j < pairs.size(); j++) {
        raw[2 * j] = pairs.get(j).scoreA();
        raw[2 * j + 1] = pairs.get(j).scoreB();
      }
      return new Scored(pairs, Map.of(model.id().name(), raw));
    }
    // The ensemble directly, for its members' raw scores (metrics); same [a0, b0, a1, b1, ...] layout.
    List<String> prompts = new ArrayList<>(2 * inputs.size());
    List<BufferedImage> images = new ArrayList<>(2 * inputs.size());
    for (PairScorer.PairInput in : inputs) {
      prompts.add(in.prompt());
      prompts.add(in.prompt());
      images.add(in.imageA());
      images.add(in.imageB());
    }
    RewardEnsemble.Scores s = ensemble.scoreDetailed(prompts, images);
    List<PairScore> pairs = new ArrayList<>(inputs.size());
    for (int j = 0; j < inputs.size(); j++) {
      pairs.add(PairScore.of(s.combined()[2 * j], s.combined()[2 * j + 1], scorer.tieThreshold()));
    }
    Map<String, double[]> byModel = new LinkedHashMap<>();
    for (int k = 0; k < s.models().size(); k++) {
      byModel.merge(s.models().get(k).name(), s.perModel()[k], PairLabeler::concat);
    }
    byModel.put(ensemble.id().name(), s.combined());
    return new Scored(pairs, byModel);
  }

  private static double[] concat(double[] a, double[] b) {
    double[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Scores of the pending pairs, in order, and raw scores by model. */
  private record Scored(List<PairScore> pairs, Map<String, double[]> byModel) {
    static final Scored NONE = new Scored(List.of(), Map.of());
  }

  /** Stops the loader threads; the model is a bean of its own and closed by the context. */
  @PreDestroy
  @Override
  public void close() {
    loader.close();
  }

  /** Why a pair's prompt can never be scored, or null. */
  static String promptProblem(ImagePair p) {
    String prompt = p.getPrompt();
    if (prompt == null || prompt.isBlank()) {
      return PROMPT_EMPTY + ": pair " + p.getPairId() + " has an empty prompt";
    }
    if (prompt.length() > MAX_PROMPT_CHARS) {
      return PROMPT_TOO_LONG + ": pair " + p.getPairId() + " has a prompt of " + prompt.length() + " characters (at most "
          + MAX_PROMPT_CHARS + " are scored): \"" + prompt.substring(0, 40) + "...\"";
    }
    return null;
  }
}
