package dev.alignloop.trainer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.alignloop.common.blob.BlobStore;
import dev.alignloop.diffusion.checkpoint.CheckpointStore;
import dev.alignloop.diffusion.checkpoint.DiffusersWeights;
import dev.alignloop.diffusion.checkpoint.RngState;
import dev.alignloop.diffusion.checkpoint.TopicOffset;
import dev.alignloop.diffusion.checkpoint.TrainerState;
import dev.alignloop.diffusion.checkpoint.TrainingCheckpoint;
import dev.alignloop.diffusion.checkpoint.WeightsWriter;
import dev.alignloop.diffusion.clip.ClipTextOutput;
import dev.alignloop.diffusion.dpo.Denoiser;
import dev.alignloop.diffusion.dpo.DpoBatch;
import dev.alignloop.diffusion.dpo.DpoStepResult;
import dev.alignloop.diffusion.dpo.DpoTrainingStep;
import dev.alignloop.diffusion.dpo.PairNoiseSampler;
import dev.alignloop.diffusion.dpo.TrainMethod;
import dev.alignloop.diffusion.nn.Parameter;
import dev.alignloop.diffusion.optim.Adafactor;
import dev.alignloop.diffusion.optim.AdafactorConfig;
import dev.alignloop.diffusion.optim.AdamW;
import dev.alignloop.diffusion.optim.AdamWConfig;
import dev.alignloop.diffusion.optim.GradientAccumulation;
import dev.alignloop.diffusion.optim.GradientClipping;
import dev.alignloop.diffusion.optim.LrSchedule;
import dev.alignloop.diffusion.optim.Optimizer;
import dev.alignloop.diffusion.pretrained.ModelIndex;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.streaming.InputRecord;
import dev.alignloop.trainer.LabelLoader.Prepared;
import dev.alignloop.trainer.LabelLoader.PreparedPair;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Diffusion-DPO training logic, free of Kafka: turns labelled pairs into optimizer steps on
 * the policy and writes and restores checkpoints. Used by {@link TrainerWorker}; testable alone.
 *
 * <p>Per micro-batch ({@link #train}): winner and loser pixels (VAE-encoded for latent models:
 * {@code latent_dist.sample() · scaling_factor}, as the official script), the prompts through the
 * frozen text encoder, noise and timesteps from {@link PairNoiseSampler} at position = micro-batches
 * trained so far, then {@link DpoTrainingStep#run} with the loss scaled by {@code 1 /
 * gradient-accumulation-steps}. On the last micro-batch of a group: gradient norm (clipped when
 * {@code max-grad-norm > 0}), the optimizer update at the scheduled learning rate, zeroed
 * gradients. A group whose gradient norm is not finite is not applied (logged; reported in
 * {@link StepReport#applied()}).
 *
 * <p>Each micro-batch runs in its own sub-manager of the model manager, closed when it returns:
 * DJL's {@code GradientCollector} and the step's activations would otherwise accumulate.
 *
 * <p>Not thread-safe: one training thread.
 */
@Singleton
public final class DpoTrainer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DpoTrainer.class);

  private final TrainerConfig config;
  private final Clock clock;
  private final TrainerModels models;
  private final LabelLoader loader;
  private final DpoTrainingStep dpo;
  private final Optimizer optimizer;
  private final LrSchedule schedule;
  private final double baseLr;
  private PairNoiseSampler noise;
  private GradientAccumulation accumulation;
  private long step;
  private long lrStep;
  private long microBatches;
  private long pairsSeen;
  private long microBatchesAtStep;
  private final List<Map<String, Double>> groupMetrics = new ArrayList<>();
  private final List<InputRecord<PreferenceLabel>> groupLabels = new ArrayList<>();
  private long groupNanos;

  /**
   * Loads the models ({@link TrainerModels#load}) and builds the optimizer.
   *
   * @throws IllegalArgumentException naming the key and folder at fault
   */
  public DpoTrainer(TrainerConfig config, BlobStore blobs, Clock clock) {
    this.config = config;
    this.clock = clock;
    if (config.djlThreads() > 0) {
      Engine.getInstance(); // loads the native library before the setting can apply
      JniUtils.setNumThreads(config.djlThreads());
    }
    this.models = TrainerModels.load(config);
    try {
      this.loader = new LabelLoader(blobs, models.tokenizer(), models.maxTokens(), models.imageSize());
      this.dpo = new DpoTrainingStep(config.trainMethod(), config.beta(), models.scheduler());
      this.optimizer = switch (config.optimizerKind()) {
        case ADAMW -> new AdamW(new AdamWConfig(config.adamBeta1(), config.adamBeta2(), config.adamEpsilon(),
            config.weightDecay()), models.manager());
        // The official SDXL recipe: Adafactor(lr=lr, weight_decay=wd, clip_threshold=1.0, scale_parameter=False, relative_step=False)
        case ADAFACTOR -> new Adafactor(AdafactorConfig.diffusionDpoSdxl(config.weightDecay()), models.manager());
      };
      this.schedule = config.schedule();
      this.baseLr = config.effectiveLearningRate();
      this.noise = new PairNoiseSampler(config.seed(), models.scheduler().config().numTrainTimesteps());
      this.accumulation = new GradientAccumulation(config.gradientAccumulationSteps());
    } catch (RuntimeException e) {
      models.close();
      throw e;
    }
    LOG.info("{} on {} ({} parameters, {} trained{}, {}x{} px, {} tokens), reference {}: beta {}, lr {} ({}), {}, batch {} x {}",
        config.trainMethod(), models.baseDir(), models.policy().parameterCount(), models.trainable().parameterCount(),
        models.lora() == null ? "" : " (LoRA rank " + models.lora().config().rank() + " on "
            + models.lora().layers().size() + " layers)", models.imageSize(),
        models.imageSize(), models.maxTokens(), config.referencePath(), config.beta(), baseLr, config.lrScheduler(),
        optimizer.name(), config.batchSize(), config.gradientAccumulationSteps());
  }

  /** Verifies, decodes and tokenizes labels ({@link LabelLoader#prepare}). */
  public Prepared prepare(List<InputRecord<PreferenceLabel>> labels) {
    return loader.prepare(labels);
  }

  /**
   * The outcome of one micro-batch.
   *
   * @param labels the labels trained in it
   * @param step the optimizer step it completed, if it was the last of its group
   */
  public record MicroBatch(List<InputRecord<PreferenceLabel>> labels, Optional<StepReport> step) {}

  /** {@link #prepare} then {@link #train} on what is trainable (nothing when nothing is). */
  public BatchOutcome trainBatch(List<InputRecord<PreferenceLabel>> labels) {
    Prepared p = prepare(labels);
    return new BatchOutcome(p.rejected(), p.pairs().isEmpty() ? null : train(p.pairs()));
  }

  /**
   * What {@link #trainBatch} did.
   *
   * @param rejected labels that can never train (dead-letter them)
   * @param trained the micro-batch of the rest, or null when none was trainable
   */
  public record BatchOutcome(List<LabelLoader.Rejection> rejected, MicroBatch trained) {}

  /**
   * Trains one micro-batch of prepared pairs {@code passes-per-batch} times (fresh noise and
   * timesteps each pass); steps the optimizer whenever a pass completes a group.
   *
   * <p>The labels join the group on the last pass only, so the step that carries them is the one
   * returned (earlier passes' steps carry no labels): every label is reported exactly once.
   */
  public MicroBatch train(List<PreparedPair> pairs) {
    if (pairs.isEmpty()) {
      throw new IllegalArgumentException("a micro-batch needs at least one pair");
    }
    List<InputRecord<PreferenceLabel>> labels = pairs.stream().map(PreparedPair::record).toList();
    Optional<StepReport> last = Optional.empty();
    int passes = config.passesPerBatch();
    for (int pass = 1; pass <= passes; pass++) {
      last = trainPass(pairs, pass == passes ? labels : List.of());
    }
    return new MicroBatch(labels, last);
  }

  private Optional<StepReport> trainPass(List<PreparedPair> pairs, List<InputRecord<PreferenceLabel>> labels) {
    // PyTorch's grad mode is per thread and on by default; DJL turns it off only on the thread that
    // started the engine. Off here, so the optimizer's in-place updates of the leaf parameters are
    // allowed (torch.optim steps under no_grad); the DPO step's GradientCollector turns it on for
    // the forward/backward only.
    JniUtils.setGradMode(false);
    long t0 = System.nanoTime();
    DpoStepResult r;
    try (NDManager m = models.manager().newSubManager()) {
      r = dpo.run(Denoiser.of(models.policy()), Denoiser.of(models.reference()), batch(pairs, m),
          accumulation.lossScale());
    }
    microBatches++;
    groupMetrics.add(r.metrics().toMap());
    groupLabels.addAll(labels);
    groupNanos += System.nanoTime() - t0;
    return accumulation.microStep() ? Optional.of(optimizerStep()) : Optional.empty();
  }

  private DpoBatch batch(List<PreparedPair> pairs, NDManager m) {
    int b = pairs.size();
    int s = models.imageSize();
    int plane = 3 * s * s;
    float[] w = new float[b * plane];
    float[] l = new float[b * plane];
    int len = models.maxTokens();
    long[] ids = new long[b * len];
    float[] margins = new float[b];
    for (int i = 0; i < b; i++) {
      PreparedPair p = pairs.get(i);
      System.arraycopy(p.winner(), 0, w, i * plane, plane);
      System.arraycopy(p.loser(), 0, l, i * plane, plane);
      System.arraycopy(p.inputIds(), 0, ids, i * len, len);
      margins[i] = (float) p.record().value().getMargin();
    }
    Shape images = new Shape(b, 3, s, s);
    NDArray xW = latents(m.create(w, images), 0);
    NDArray xL = latents(m.create(l, images), 1);
    // encoder_hidden_states = text_encoder(input_ids)[0]: frozen, no autograd collector is open here
    ClipTextOutput text = models.textEncoder().forward(m.create(ids, new Shape(b, len)));
    text.poolerOutput().close();
    text.penultimate().close();
    if (text.textEmbeds() != null) {
      text.textEmbeds().close();
    }
    Shape latent = xW.getShape().slice(1);
    PairNoiseSampler.Draw d = noise.sample(microBatches, b, latent, m);
    return new DpoBatch(xW, xL, d.noise(), d.timesteps(), text.lastHiddenState(), null, null, m.create(margins));
  }

  /** Pixel space: the images; latent models: {@code vae.encode(x).latent_dist.sample() * scaling_factor}. */
  private NDArray latents(NDArray images, int side) {
    if (models.vae() == null) {
      return images;
    }
    // The posterior sample is drawn from (seed, micro-batch, side), so a resumed run draws the same.
    long seed = config.seed() * 0x9E3779B97F4A7C15L + microBatches * 2 + side;
    try (NDArray z = models.vae().encodeSample(images, seed)) {
      return models.vae().scale(z);
    }
  }

  private StepReport optimizerStep() {
    long t0 = System.nanoTime();
    // clip_grad_norm_(params, max_grad_norm); with clipping off the norm is still measured (x1).
    double norm = GradientClipping.clipGradNorm(models.trainable(),
        config.maxGradNorm() > 0 ? config.maxGradNorm() : Double.POSITIVE_INFINITY);
    double lr = schedule.lr(baseLr, lrStep);
    boolean applied = Double.isFinite(norm);
    if (applied) {
      optimizer.step(models.trainable(), lr);
    } else {
      LOG.warn("step {}: gradient norm {}: update skipped, {} labels dropped", step + 1, norm, groupLabels.size());
    }
    models.trainable().zeroGrad();
    lrStep++;
    step++;
    pairsSeen += groupLabels.size();
    microBatchesAtStep = microBatches;
    double seconds = (groupNanos + System.nanoTime() - t0) / 1e9;
    Map<String, Double> metrics = mean(groupMetrics);
    metrics.put("lr", lr);
    if (Double.isFinite(norm)) {
      metrics.put("grad_norm", norm);
    }
    metrics.put("step_time", seconds);
    metrics.put("pairs", (double) groupLabels.size());
    StepReport report = new StepReport(step, lr, norm, applied, metrics, groupLabels, seconds);
    groupMetrics.clear();
    groupLabels.clear();
    groupNanos = 0;
    return report;
  }

  private static Map<String, Double> mean(List<Map<String, Double>> maps) {
    Map<String, Double> sum = new LinkedHashMap<>();
    Map<String, Integer> n = new LinkedHashMap<>();
    for (Map<String, Double> m : maps) {
      m.forEach((k, v) -> {
        if (Double.isFinite(v)) {
          sum.merge(k, v, Double::sum);
          n.merge(k, 1, Integer::sum);
        }
      });
    }
    sum.replaceAll((k, v) -> v / n.get(k));
    return sum;
  }

  /**
   * Writes a checkpoint of the state after the last optimizer step: the policy as a diffusers
   * folder ({@code unet/}, with the base's {@code model_index.json} and {@code scheduler/}; the
   * text encoder, tokenizer and VAE are not copied — loaders take them from the base model; with
   * LoRA, {@code unet/} holds the merged weights and the adapters go to
   * {@code pytorch_lora_weights.safetensors}: {@link TrainerModels#checkpointWeights()}), the
   * optimizer state and the trainer state. Gradients accumulated since that step are not part of
   * it: their labels are not in {@code offsets}, so a restart trains them again.
   *
   * @param offsets the consumer positions after the labels of the last optimizer step
   * @param metrics summary metrics to store (must be finite)
   * @param extra more files for the folder (covered by the manifest), or null
   */
  public TrainingCheckpoint writeCheckpoint(CheckpointStore store, String version, String parentVersion,
      List<TopicOffset> offsets, Map<String, Double> metrics, WeightsWriter extra) {
    Map<String, Double> m = new LinkedHashMap<>(metrics);
    m.put("pairs_seen", (double) pairsSeen);
    TrainerState state = new TrainerState(version, parentVersion, step, lrStep,
        new RngState(noise.seed(), microBatchesAtStep), offsets, m, clock.instant());
    WeightsWriter weights = DiffusersWeights.all(models.checkpointWeights(),
        DiffusersWeights.copyFrom(models.baseDir(), ModelIndex.FILE_NAME, ModelIndex.SCHEDULER),
        extra == null ? dir -> { } : extra);
    return store.write(state, weights, optimizer);
  }

  /**
   * Restores a (verified) checkpoint: policy weights, optimizer state, step counters, the noise
   * stream's seed and position and the pairs seen. Gradients and a partly accumulated group are
   * dropped.
   *
   * @throws dev.alignloop.diffusion.checkpoint.CheckpointException when it was written by another
   *     optimizer or holds weights of another shape
   */
  public void restore(TrainingCheckpoint checkpoint) {
    TrainerState s = checkpoint.state();
    JniUtils.setGradMode(false); // see train()
    try (NDManager scratch = models.manager().newSubManager()) {
      models.restoreWeights(checkpoint, scratch);
      checkpoint.restore(optimizer, scratch);
    }
    if (s.rng().seed() != config.seed()) {
      LOG.warn("{} was trained with seed {}, alignloop.trainer.seed is {}: continuing the checkpoint's noise stream",
          checkpoint.version(), s.rng().seed(), config.seed());
    }
    noise = new PairNoiseSampler(s.rng().seed(), models.scheduler().config().numTrainTimesteps());
    step = s.step();
    lrStep = s.lrStep();
    microBatches = s.rng().position();
    microBatchesAtStep = microBatches;
    pairsSeen = s.metrics().getOrDefault("pairs_seen", 0.0).longValue();
    models.trainable().zeroGrad();
    accumulation = new GradientAccumulation(config.gradientAccumulationSteps());
    groupMetrics.clear();
    groupLabels.clear();
    groupNanos = 0;
    LOG.info("restored {}: step {}, {} pairs seen, noise position {}", checkpoint.version(), step, pairsSeen, microBatches);
  }

  /** Optimizer steps taken. */
  public long step() {
    return step;
  }

  /** Pairs applied by optimizer steps so far. */
  public long pairsSeen() {
    return pairsSeen;
  }

  /** Micro-batches trained since the last optimizer step (their gradients are pending). */
  public int pendingMicroBatches() {
    return accumulation.pending();
  }

  /** The learning rate the next optimizer step will use. */
  public double nextLr() {
    return schedule.lr(baseLr, lrStep);
  }

  /** The objective. */
  public TrainMethod method() {
    return dpo.method();
  }

  /** The loaded models. */
  public TrainerModels models() {
    return models;
  }

  /** Frees the models and the optimizer state. */
  @PreDestroy
  @Override
  public void close() {
    try {
      optimizer.close();
    } finally {
      models.close();
    }
  }
}
