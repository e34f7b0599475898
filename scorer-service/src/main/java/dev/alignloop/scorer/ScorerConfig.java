package dev.alignloop.scorer;

import dev.alignloop.reward.ScorerOptions;
import dev.alignloop.schemas.Topics;
import dev.alignloop.streaming.eos.ProcessorBuilder;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Scorer settings, {@code alignloop.scorer.*}; every key can also be set by environment variable
 * ({@code alignloop.scorer.tie-margin} ← {@code ALIGNLOOP_SCORER_TIE_MARGIN}; lists are comma
 * separated: {@code ALIGNLOOP_SCORER_MODELS=a/reward.json,b/reward.json}). Kafka and blob store
 * settings are the shared {@code alignloop.kafka.*} and {@code alignloop.blob.*} keys of the
 * service kit. {@code application.yml} documents each key; the compact constructor validates
 * them and names the key at fault.
 *
 * @param models reward-model manifests ({@code reward.json}); paths are relative to the working
 *     directory. One model scores alone; several form a {@link dev.alignloop.reward.RewardEnsemble}
 * @param weights ensemble weights, one per model in order; empty or unset: all 1
 * @param ensembleWarmup scores an ensemble member without fixed {@code stats} in its manifest must
 *     see before its running mean/std standardize its scores
 * @param tieMargin pairs with {@code |scoreA - scoreB| < tieMargin} are ties: skipped, counted,
 *     never labelled. In the model's score units (standardized units for an ensemble)
 * @param maxPairsPerBatch most pairs per {@code OrtSession.run} (2 images each); a polled batch
 *     is scored in runs of this size, the next run's images loading while one is scored (single
 *     model, {@code loadThreads >= 2}); an ensemble scores the batch in one call
 * @param intraOpThreads ONNX Runtime threads inside one operator; 0: ORT's default (one per core)
 * @param interOpThreads ONNX Runtime threads across operators; 0: ORT's default
 * @param loadThreads threads that fetch and decode the images of a batch in parallel, the
 *     processing thread included
 * @param groupId consumer group of all scorer replicas
 * @param transactionalIdPrefix transactional id = {@code prefix-instanceId}
 * @param instanceId stable, unique id of this replica (StatefulSet pod name); unset: the
 *     {@code HOSTNAME} environment variable, else {@code local}
 * @param maxPollRecords most pairs per batch and per transaction
 * @param maxPollInterval {@code max.poll.interval.ms}: must exceed the worst batch time plus the
 *     processor's longest retry backoff (30 s)
 * @param maxConsecutiveFailures stop (health DOWN, pod restarted) after this many failed attempts
 *     of a batch in a row; 0 retries forever
 * @param inputTopic where pairs are read
 * @param outputTopic where labels are written
 * @param deadLetterTopic where bad pairs go, with the reason and their source offset
 * @param enabled run the Kafka loop ({@link ScorerWorker}); false: no loop, and the model loads
 *     only if something asks for {@link PairLabeler} (tools, tests)
 */
@ConfigurationProperties("alignloop.scorer")
public record ScorerConfig(
    @Bindable(defaultValue = DEFAULT_MODEL) List<String> models,
    @Nullable List<Double> weights,
    @Bindable(defaultValue = "32") int ensembleWarmup,
    @Bindable(defaultValue = "0.05") double tieMargin,
    @Bindable(defaultValue = "32") int maxPairsPerBatch,
    @Bindable(defaultValue = "0") int intraOpThreads,
    @Bindable(defaultValue = "0") int interOpThreads,
    @Bindable(defaultValue = "2") int loadThreads,
    @Bindable(defaultValue = "alignloop-scorer") String groupId,
    @Bindable(defaultValue = "alignloop-scorer") String transactionalIdPrefix,
    @Nullable String instanceId,
    @Bindable(defaultValue = "64") int maxPollRecords,
    @Bindable(defaultValue = "5m") Duration maxPollInterval,
    @Bindable(defaultValue = "0") int maxConsecutiveFailures,
    @Bindable(defaultValue = Topics.PAIRS) String inputTopic,
    @Bindable(defaultValue = Topics.PREFERENCES) String outputTopic,
    @Bindable(defaultValue = Topics.DLQ) String deadLetterTopic,
    @Bindable(defaultValue = "true") boolean enabled) {

  /** The shipped "shapes" reward model. */
  public static final String DEFAULT_MODEL = "models/shapes-reward/reward.json";
  /** Default {@code tie-margin}. */
  public static final double DEFAULT_TIE_MARGIN = 0.05;

  private static final String PREFIX = "alignloop.scorer.";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]+");

  /** Validates; messages name the {@code alignloop.scorer.*} key. */
  public ScorerConfig {
    models = models == null ? List.of() : models.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    if (models.isEmpty()) {
      throw new IllegalArgumentException(PREFIX + "models must name at least one reward manifest");
    }
    weights = weights == null ? List.of() : List.copyOf(weights);
    if (!weights.isEmpty() && weights.size() != models.size()) {
      throw new IllegalArgumentException(PREFIX + "weights has " + weights.size() + " values but " + PREFIX
          + "models has " + models.size() + " manifests: give one weight per model, or none");
    }
    for (Double w : weights) {
      if (!(w > 0) || w.isInfinite()) {
        throw new IllegalArgumentException(PREFIX + "weights must be finite and > 0, got " + weights);
      }
    }
    if (ensembleWarmup < 2) {
      throw new IllegalArgumentException(PREFIX + "ensemble-warmup must be >= 2, got " + ensembleWarmup);
    }
    if (!(tieMargin >= 0) || Double.isInfinite(tieMargin)) {
      throw new IllegalArgumentException(PREFIX + "tie-margin must be finite and >= 0, got " + tieMargin);
    }
    atLeast("max-pairs-per-batch", maxPairsPerBatch, 1);
    atLeast("intra-op-threads", intraOpThreads, 0);
    atLeast("inter-op-threads", interOpThreads, 0);
    atLeast("load-threads", loadThreads, 1);
    atLeast("max-poll-records", maxPollRecords, 1);
    atLeast("max-consecutive-failures", maxConsecutiveFailures, 0);
    if (instanceId == null || instanceId.isBlank()) {
      String host = System.getenv("HOSTNAME");
      instanceId = host == null || host.isBlank() ? "local" : host.strip();
    }
    id("group-id", groupId);
    id("transactional-id-prefix", transactionalIdPrefix);
    id("instance-id", instanceId);
    id("input-topic", inputTopic);
    id("output-topic", outputTopic);
    id("dead-letter-topic", deadLetterTopic);
    // The processor waits out its retry backoff on the polling thread, inside one poll interval.
    Duration floor = ProcessorBuilder.DEFAULT_BACKOFF_MAX.plus(ProcessorBuilder.DEFAULT_POLL_TIMEOUT);
    if (maxPollInterval == null || maxPollInterval.compareTo(floor) <= 0) {
      throw new IllegalArgumentException(PREFIX + "max-poll-interval must be above " + floor
          + " (longest retry backoff + poll timeout) and above the worst batch time, got " + maxPollInterval);
    }
  }

  /** The manifests as paths. */
  public List<Path> modelPaths() {
    return models.stream().map(Path::of).toList();
  }

  /** The weight of model {@code i} (1 when no weights are configured). */
  public double weight(int i) {
    return weights.isEmpty() ? 1.0 : weights.get(i);
  }

  /** ONNX Runtime settings: the thread counts, and {@code 2 × max-pairs-per-batch} images per run. */
  public ScorerOptions scorerOptions() {
    return new ScorerOptions(intraOpThreads, interOpThreads, 2 * maxPairsPerBatch);
  }

  /** A config with every default and these models (for tests and tools). */
  public static ScorerConfig defaults(List<String> models) {
    return new ScorerConfig(models, Collections.emptyList(), 32, DEFAULT_TIE_MARGIN, 32, 0, 0, 2,
        "alignloop-scorer", "alignloop-scorer", null, 64, Duration.ofMinutes(5), 0,
        Topics.PAIRS, Topics.PREFERENCES, Topics.DLQ, true);
  }

  private static void atLeast(String key, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(PREFIX + key + " must be >= " + min + ", got " + value);
    }
  }

  private static void id(String key, String value) {
    if (value == null || !ID.matcher(value).matches()) {
      throw new IllegalArgumentException(PREFIX + key + " may hold only letters, digits, '.', '_' and '-', got '"
          + value + "'");
    }
  }
}
