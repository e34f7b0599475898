package dev.alignloop.trainer;

import dev.alignloop.diffusion.dpo.DpoTrainingStep;
import dev.alignloop.diffusion.dpo.TrainMethod;
import dev.alignloop.diffusion.lora.LoraConfig;
import dev.alignloop.diffusion.optim.LrSchedule;
import dev.alignloop.schemas.Topics;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Trainer settings, {@code alignloop.trainer.*}; every key can also be set by environment variable
 * ({@code alignloop.trainer.beta} ← {@code ALIGNLOOP_TRAINER_BETA}). Kafka and blob store settings
 * are the shared {@code alignloop.kafka.*} and {@code alignloop.blob.*} keys of the service kit.
 * {@code application.yml} documents each key with the value chosen for the shipped "shapes" demo;
 * the defaults here are the Diffusion-DPO paper's SD 1.5 recipe where one exists (β 5000, lr 1e-8
 * scaled by the effective batch, AdamW, constant schedule with 500 warmup steps, gradient norm 1).
 * The compact constructor validates and names the key at fault.
 *
 * @param modelDir the base policy's diffusers folder; training starts from its UNet
 * @param referenceDir diffusers folder of the frozen reference; unset: {@code modelDir}
 * @param checkpointDir the checkpoint root (one folder per version)
 * @param method {@code dpo} or {@code sft} (denoising loss on winners, the paper's baseline)
 * @param beta {@code beta_dpo}, the inverse strength of the KL tie to the reference (DPO only)
 * @param learningRate base learning rate (per sample when {@code scaleLr})
 * @param scaleLr multiply the learning rate by the effective batch ({@code batchSize ×
 *     gradientAccumulationSteps}), as the official {@code --scale_lr}
 * @param optimizer {@code adamw} or {@code adafactor} (the paper's SDXL choice)
 * @param adamBeta1 AdamW β1
 * @param adamBeta2 AdamW β2
 * @param adamEpsilon AdamW ε
 * @param weightDecay decoupled weight decay (AdamW and Adafactor)
 * @param lrScheduler {@code constant}, {@code constant_with_warmup}, {@code cosine} or {@code linear}
 * @param lrWarmupSteps linear warmup length in optimizer steps
 * @param maxTrainSteps stop (final checkpoint, no more consumption) after this many optimizer
 *     steps; also the length of cosine and linear schedules; 0: train forever
 * @param gradientAccumulationSteps micro-batches per optimizer step
 * @param maxGradNorm clip the global gradient L2 norm to this; 0: no clipping
 * @param batchSize pairs per micro-batch
 * @param passesPerBatch times each micro-batch is trained, each pass with fresh noise and timesteps
 *     and its own optimizer step (1: the paper's single pass); its labels count once, on the last
 * @param checkpointEverySteps write a checkpoint after this many optimizer steps
 * @param checkpointMaxInterval also write one when this much time passed since the last and at
 *     least one step was taken; 0: off
 * @param checkpointWhenIdle also write one when steps were taken and no label has arrived for this
 *     long (the end of a burst, e.g. a demo round); 0: off
 * @param checkpointOnShutdown write a checkpoint on graceful shutdown if steps were taken since
 *     the last one (never a half step: pending accumulated gradients are dropped)
 * @param keepLastCheckpoints checkpoints kept besides every PROMOTED one
 * @param seed seed of the noise and timestep draws (and VAE posterior samples)
 * @param djlThreads PyTorch intra-op threads; 0: the engine's default (one per core)
 * @param device where the models train: {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
 *     ({@link dev.alignloop.diffusion.engine.ComputeDevice})
 * @param strictTokenizer reject (dead-letter) prompts with words a word-level tokenizer does not
 *     know, as the generator does, instead of training on {@code [UNK]}
 * @param maxPromptTokens prompt length in tokens (special tokens included); 0: the model's limit,
 *     as the generator computes it
 * @param imageSize image side in pixels; 0: the UNet's {@code sample_size} × the VAE's factor
 * @param groupId consumer group the trainer commits its checkpointed offsets under (monitoring only)
 * @param inputTopic where labels are read
 * @param checkpointsTopic where {@code Checkpoint} records go (and PROMOTED statuses are read)
 * @param deadLetterTopic where bad labels go, with the reason and their source offset
 * @param maxPollRecords {@code max.poll.records}: with the batch it bounds the records buffered
 * @param fetchMaxBytes {@code fetch.max.bytes} and {@code max.partition.fetch.bytes}: bounds the
 *     Kafka client's own prefetch buffer
 * @param pollTimeout longest wait of one poll when nothing is buffered
 * @param batchLinger train a partial micro-batch once its first pair waited this long
 * @param publishTimeout how long a Checkpoint record or the DLQ flush may take
 * @param maxConsecutiveFailures stop (health DOWN) after this many failed attempts in a row to
 *     load a batch's images; 0: retry forever
 * @param enabled start the training loop at startup (false: beans only, e.g. for tools)
 * @param lora {@code alignloop.trainer.lora.*}: LoRA instead of full fine-tuning; null or rank 0: off
 */
@ConfigurationProperties("alignloop.trainer")
public record TrainerConfig(
    @Bindable(defaultValue = DEFAULT_MODEL_DIR) String modelDir,
    @Nullable String referenceDir,
    @Bindable(defaultValue = DEFAULT_CHECKPOINT_DIR) String checkpointDir,
    @Bindable(defaultValue = "dpo") String method,
    @Bindable(defaultValue = "5000") double beta,
    @Bindable(defaultValue = "1e-8") double learningRate,
    @Bindable(defaultValue = "true") boolean scaleLr,
    @Bindable(defaultValue = "adamw") String optimizer,
    @Bindable(defaultValue = "0.9") double adamBeta1,
    @Bindable(defaultValue = "0.999") double adamBeta2,
    @Bindable(defaultValue = "1e-8") double adamEpsilon,
    @Bindable(defaultValue = "0.01") double weightDecay,
    @Bindable(defaultValue = "constant_with_warmup") String lrScheduler,
    @Bindable(defaultValue = "500") int lrWarmupSteps,
    @Bindable(defaultValue = "0") long maxTrainSteps,
    @Bindable(defaultValue = "1") int gradientAccumulationSteps,
    @Bindable(defaultValue = "1.0") double maxGradNorm,
    @Bindable(defaultValue = "8") int batchSize,
    @Bindable(defaultValue = "1") int passesPerBatch,
    @Bindable(defaultValue = "100") int checkpointEverySteps,
    @Bindable(defaultValue = "0s") Duration checkpointMaxInterval,
    @Bindable(defaultValue = "0s") Duration checkpointWhenIdle,
    @Bindable(defaultValue = "true") boolean checkpointOnShutdown,
    @Bindable(defaultValue = "5") int keepLastCheckpoints,
    @Bindable(defaultValue = "42") long seed,
    @Bindable(defaultValue = "0") int djlThreads,
    @Bindable(defaultValue = "auto") String device,
    @Bindable(defaultValue = "true") boolean strictTokenizer,
    @Bindable(defaultValue = "0") int maxPromptTokens,
    @Bindable(defaultValue = "0") int imageSize,
    @Bindable(defaultValue = "alignloop-trainer") String groupId,
    @Bindable(defaultValue = Topics.PREFERENCES) String inputTopic,
    @Bindable(defaultValue = Topics.CHECKPOINTS) String checkpointsTopic,
    @Bindable(defaultValue = Topics.DLQ) String deadLetterTopic,
    @Bindable(defaultValue = "64") int maxPollRecords,
    @Bindable(defaultValue = "1048576") int fetchMaxBytes,
    @Bindable(defaultValue = "1s") Duration pollTimeout,
    @Bindable(defaultValue = "5s") Duration batchLinger,
    @Bindable(defaultValue = "30s") Duration publishTimeout,
    @Bindable(defaultValue = "10") int maxConsecutiveFailures,
    @Bindable(defaultValue = "true") boolean enabled,
    @Nullable Lora lora) {

  /** The shipped "shapes" base model. */
  public static final String DEFAULT_MODEL_DIR = "models/shapes-base";
  /** Where checkpoints go by default (the generator looks there too). */
  public static final String DEFAULT_CHECKPOINT_DIR = ".alignloop/checkpoints";

  private static final String PREFIX = "alignloop.trainer.";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]+");

  /** The optimizers. */
  public enum OptimizerKind { ADAMW, ADAFACTOR }

  /**
   * {@code alignloop.trainer.lora.*}: train LoRA adapters on the policy UNet's attention projections
   * instead of all its weights (the base weights stay frozen; the optimizer and gradient clipping see
   * only the adapters). Checkpoints still hold a plain {@code unet/} — the base with the adapters
   * merged in — so the generator and the gate load them unchanged, plus the adapters alone in
   * diffusers' {@code pytorch_lora_weights.safetensors} ({@code pipe.load_lora_weights(dir)} on the
   * base model).
   *
   * @param rank LoRA rank {@code r}; 0: off (full fine-tuning)
   * @param alpha {@code lora_alpha}: updates are scaled by {@code alpha / rank}; 0: equal to the rank
   *     (scale 1, the diffusers training scripts' choice)
   * @param targets the adapted Linear layers, a subset of {@code to_q, to_k, to_v, to_out.0}
   */
  @ConfigurationProperties("lora")
  public record Lora(
      @Bindable(defaultValue = "0") int rank,
      @Bindable(defaultValue = "0") double alpha,
      @Bindable(defaultValue = "to_q,to_k,to_v,to_out.0") List<String> targets) {

    /** LoRA off. */
    public static final Lora OFF = new Lora(0, 0, LoraConfig.ATTENTION_TARGETS);

    /** Validates; messages name the {@code alignloop.trainer.lora.*} key. */
    public Lora {
      require(rank >= 0, "lora.rank", rank, "must be >= 0 (0: LoRA off)");
      require(alpha >= 0 && Double.isFinite(alpha), "lora.alpha", alpha, "must be finite and >= 0 (0: equal to the rank)");
      targets = targets == null || targets.isEmpty() ? LoraConfig.ATTENTION_TARGETS
          : targets.stream().map(String::strip).filter(t -> !t.isEmpty()).toList();
      for (String t : targets) {
        require(LoraConfig.ATTENTION_TARGETS.contains(t), "lora.targets", t,
            "must list attention projections among " + String.join(", ", LoraConfig.ATTENTION_TARGETS));
      }
      require(targets.stream().distinct().count() == targets.size(), "lora.targets", targets, "lists a layer twice");
      require(!targets.isEmpty(), "lora.targets", targets, "must name at least one layer");
    }

    /** The library config, or empty when off. */
    public Optional<LoraConfig> config() {
      return rank == 0 ? Optional.empty() : Optional.of(new LoraConfig(rank, alpha == 0 ? rank : alpha, targets, 0.0));
    }
  }

  /** Validates; messages name the {@code alignloop.trainer.*} key. */
  public TrainerConfig {
    require(modelDir != null && !modelDir.isBlank(), "model-dir", modelDir, "must name a diffusers folder");
    referenceDir = referenceDir == null || referenceDir.isBlank() ? null : referenceDir.strip();
    require(checkpointDir != null && !checkpointDir.isBlank(), "checkpoint-dir", checkpointDir, "must be set");
    parse("method", method, TrainMethod.class);
    require(beta > 0 && Double.isFinite(beta), "beta", beta, "must be finite and > 0 (paper: 5000 for SD 1.5/SDXL)");
    require(learningRate > 0 && Double.isFinite(learningRate), "learning-rate", learningRate, "must be finite and > 0");
    parse("optimizer", optimizer, OptimizerKind.class);
    require(adamBeta1 >= 0 && adamBeta1 < 1, "adam-beta1", adamBeta1, "must be in [0, 1)");
    require(adamBeta2 >= 0 && adamBeta2 < 1, "adam-beta2", adamBeta2, "must be in [0, 1)");
    require(adamEpsilon >= 0, "adam-epsilon", adamEpsilon, "must be >= 0");
    require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight-decay", weightDecay, "must be finite and >= 0");
    require(lrWarmupSteps >= 0, "lr-warmup-steps", lrWarmupSteps, "must be >= 0");
    require(maxTrainSteps >= 0, "max-train-steps", maxTrainSteps, "must be >= 0 (0: train forever)");
    LrSchedule.Kind kind;
    try {
      kind = LrSchedule.Kind.parse(lrScheduler == null ? "" : lrScheduler);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(PREFIX + "lr-scheduler: " + e.getMessage(), e);
    }
    if ((kind == LrSchedule.Kind.COSINE || kind == LrSchedule.Kind.LINEAR) && maxTrainSteps == 0) {
      throw new IllegalArgumentException(PREFIX + "lr-scheduler " + kind.configName() + " decays over "
          + PREFIX + "max-train-steps, which is 0 (train forever): set it, or use constant_with_warmup");
    }
    if (kind == LrSchedule.Kind.CONSTANT && lrWarmupSteps != 0) {
      throw new IllegalArgumentException(PREFIX + "lr-scheduler constant takes no warmup but " + PREFIX
          + "lr-warmup-steps is " + lrWarmupSteps + ": use constant_with_warmup, or set the warmup to 0");
    }
    require(maxTrainSteps <= Integer.MAX_VALUE, "max-train-steps", maxTrainSteps, "must fit an int");
    require(gradientAccumulationSteps >= 1, "gradient-accumulation-steps", gradientAccumulationSteps, "must be >= 1");
    require(maxGradNorm >= 0 && Double.isFinite(maxGradNorm), "max-grad-norm", maxGradNorm,
        "must be finite and >= 0 (0: no clipping)");
    require(batchSize >= 1, "batch-size", batchSize, "must be >= 1");
    require(passesPerBatch >= 1 && passesPerBatch <= 64, "passes-per-batch", passesPerBatch, "must be in 1..64");
    require(checkpointEverySteps >= 1, "checkpoint-every-steps", checkpointEverySteps, "must be >= 1");
    require(checkpointMaxInterval != null && !checkpointMaxInterval.isNegative(), "checkpoint-max-interval",
        checkpointMaxInterval, "must be >= 0 (0: off)");
    require(checkpointWhenIdle != null && !checkpointWhenIdle.isNegative(), "checkpoint-when-idle",
        checkpointWhenIdle, "must be >= 0 (0: off)");
    require(keepLastCheckpoints >= 1, "keep-last-checkpoints", keepLastCheckpoints,
        "must be >= 1 (the checkpoint a restart resumes from is never deleted)");
    require(djlThreads >= 0, "djl-threads", djlThreads, "must be >= 0 (0: the engine's default)");
    require(maxPromptTokens >= 0, "max-prompt-tokens", maxPromptTokens, "must be >= 0 (0: the model's limit)");
    require(imageSize >= 0, "image-size", imageSize, "must be >= 0 (0: from the model's config)");
    id("group-id", groupId);
    id("input-topic", inputTopic);
    id("checkpoints-topic", checkpointsTopic);
    id("dead-letter-topic", deadLetterTopic);
    require(maxPollRecords >= 1, "max-poll-records", maxPollRecords, "must be >= 1");
    require(fetchMaxBytes >= 1024, "fetch-max-bytes", fetchMaxBytes, "must be >= 1024");
    positive("poll-timeout", pollTimeout);
    require(batchLinger != null && !batchLinger.isNegative(), "batch-linger", batchLinger, "must be >= 0");
    positive("publish-timeout", publishTimeout);
    require(maxConsecutiveFailures >= 0, "max-consecutive-failures", maxConsecutiveFailures,
        "must be >= 0 (0: retry forever)");
    lora = lora == null ? Lora.OFF : lora;
  }

  /** A config with every default and these folders (tests and tools). */
  public static TrainerConfig defaults(String modelDir, String checkpointDir) {
    return new TrainerConfig(modelDir, null, checkpointDir, "dpo", DpoTrainingStep.DEFAULT_BETA, 1e-8, true, "adamw",
        0.9, 0.999, 1e-8, 0.01, "constant_with_warmup", 500, 0, 1, 1.0, 8, 1, 100, Duration.ZERO, Duration.ZERO, true, 5, 42, 0, "auto", true,
        0, 0, "alignloop-trainer", Topics.PREFERENCES, Topics.CHECKPOINTS, Topics.DLQ, 64, 1 << 20, Duration.ofSeconds(1),
        Duration.ofSeconds(5), Duration.ofSeconds(30), 10, true, Lora.OFF);
  }

  /** This config with {@code alignloop.trainer.lora.*} replaced (tests and tools). */
  public TrainerConfig withLora(Lora lora) {
    return new TrainerConfig(modelDir, referenceDir, checkpointDir, method, beta, learningRate, scaleLr, optimizer,
        adamBeta1, adamBeta2, adamEpsilon, weightDecay, lrScheduler, lrWarmupSteps, maxTrainSteps,
        gradientAccumulationSteps, maxGradNorm, batchSize, passesPerBatch, checkpointEverySteps, checkpointMaxInterval,
        checkpointWhenIdle, checkpointOnShutdown, keepLastCheckpoints, seed, djlThreads, device, strictTokenizer, maxPromptTokens, imageSize, groupId,
        inputTopic, checkpointsTopic, deadLetterTopic, maxPollRecords, fetchMaxBytes, pollTimeout, batchLinger,
        publishTimeout, maxConsecutiveFailures, enabled, lora);
  }

  /** LoRA settings of the run, or empty for full fine-tuning. */
  public Optional<LoraConfig> loraConfig() {
    return lora.config();
  }

  /** The objective. */
  public TrainMethod trainMethod() {
    return parse("method", method, TrainMethod.class);
  }

  /** The optimizer. */
  public OptimizerKind optimizerKind() {
    return parse("optimizer", optimizer, OptimizerKind.class);
  }

  /** The learning-rate schedule, counted in optimizer steps. */
  public LrSchedule schedule() {
    return new LrSchedule(LrSchedule.Kind.parse(lrScheduler), lrWarmupSteps, (int) maxTrainSteps, 0.5);
  }

  /** The base learning rate, scaled by the effective batch when {@code scale-lr} is on. */
  public double effectiveLearningRate() {
    return scaleLr ? LrSchedule.scaleLr(learningRate, gradientAccumulationSteps, batchSize, 1) : learningRate;
  }

  /** Pairs per optimizer step. */
  public int effectiveBatch() {
    return batchSize * gradientAccumulationSteps;
  }

  /** {@code model-dir} as a path. */
  public Path modelPath() {
    return Path.of(modelDir);
  }

  /** The reference folder: {@code reference-dir}, else {@code model-dir}. */
  public Path referencePath() {
    return Path.of(referenceDir == null ? modelDir : referenceDir);
  }

  /** {@code checkpoint-dir} as a path. */
  public Path checkpointPath() {
    return Path.of(checkpointDir);
  }

  private static <E extends Enum<E>> E parse(String key, String value, Class<E> type) {
    String v = value == null ? "" : value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(v)) {
        return e;
      }
    }
    StringBuilder names = new StringBuilder();
    for (E e : type.getEnumConstants()) {
      names.append(names.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
    }
    throw new IllegalArgumentException(PREFIX + key + " must be one of " + names + ", got '" + value + "'");
  }

  private static void positive(String key, Duration d) {
    require(d != null && !d.isNegative() && !d.isZero(), key, d, "must be > 0");
  }

  private static void id(String key, String value) {
    require(value != null && ID.matcher(value).matches(), key, value,
        "may hold only letters, digits, '.', '_' and '-'");
  }

  private static void require(boolean ok, String key, Object value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException(PREFIX + key + " " + rule + ", got '" + value + "'");
    }
  }
}
