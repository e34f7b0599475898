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
 *   <li>Score all loaded pairs in ONE model call ({@link PairScorer#scoreAll}, or the ensemble's
 *       {@link RewardEnsemble#scoreDetailed}), so ONNX Runtime sees full batches.
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
  /** {@code PreferenceLabel.source} of every label this service writes. */
  public static final String SOURCE = "ai";

  private final RewardModel model;
  private final PairScorer scorer;
  private final List<RewardModelRef> modelRefs;
  private final PairLoader loader;
  private final Clock clock;
  private final String outputTopic;

  /** The bean: the configured model, blob store and clock. */
  @Inject
  public PairLabeler(ScorerConfig config, RewardModel model, BlobStore blobs, Clock clock) {
    this(model, blobs, clock, config.tieMargin(), config.outputTopic(), config.loadThreads());
  }

  /**
   * A labeler (for tests and tools).
   *
   * @param tieMargin pairs with {@code |margin|} below it are ties
   * @param outputTopic topic of the labels
   * @param loadThreads threads that fetch and decode images (1: the calling thread)
   */
  public PairLabeler(RewardModel model, BlobStore blobs, Clock clock, double tieMargin, String outputTopic,
      int loadThreads) {
    this.model = Objects.requireNonNull(model, "model");
    this.scorer = new PairScorer(model, tieMargin);
    this.modelRefs = RewardModels.refs(model);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.outputTopic = Objects.requireNonNull(outputTopic, "outputTopic");
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

    long t0 = System.nanoTime();
    List<PairLoader.Loaded> loaded = loader.loadAll(pairs.stream().map(p -> promptProblem(p) == null ? p : null)
        .toList());
    long t1 = System.nanoTime();

    List<Integer> pending = new ArrayList<>(n); // indices of pairs still to score
    List<PairScorer.PairInput> inputs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String promptProblem = promptProblem(pairs.get(i));
      if (promptProblem != null) {
        outcomes[i] = Outcome.reject(promptProblem, null);
      } else if (loaded.get(i) instanceof PairLoader.Rejected r) {
        outcomes[i] = Outcome.reject(r.reason(), r.cause());
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
          outcomes[i] = Outcome.reject(SCORE_INVALID + ": pair " + p.getPairId() + " (" + p.getImageA().getUri()
              + ", " + p.getImageB().getUri() + ")", e);
        }
      }
    }
    long t2 = System.nanoTime();

    int labels = 0;
    int ties = 0;
    double[] margins = new double[pending.size()];
    for (int j = 0; j < pending.size(); j++) {
      int i = pending.get(j);
      PairScore s = scored.pairs.get(j);
      margins[j] = s.absMargin();
      if (s.winner() == PairScore.Winner.TIE) {
        outcomes[i] = Outcome.skip(TIE);
        ties++;
      } else {
        ImagePair p = pairs.get(i);
        outcomes[i] = Outcome.emit(outputTopic, p.getPairId(), toLabel(p, s));
        labels++;
      }
    }
    return new LabelledBatch(Arrays.asList(outcomes), margins, scored.byModel, labels, ties,
        n - pending.size(), Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1));
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
}
