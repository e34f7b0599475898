package dev.alignloop.trainer;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.engine.ComputeDevice;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alignloop.diffusion.checkpoint.CheckpointException;
import dev.alignloop.diffusion.checkpoint.DiffusersWeights;
import dev.alignloop.diffusion.checkpoint.TrainingCheckpoint;
import dev.alignloop.diffusion.checkpoint.WeightsWriter;
import dev.alignloop.diffusion.clip.ClipTextModel;
import dev.alignloop.diffusion.dpo.DpoTrainingStep;
import dev.alignloop.diffusion.lora.LoraAdapters;
import dev.alignloop.diffusion.lora.LoraConfig;
import dev.alignloop.diffusion.lora.LoraException;
import dev.alignloop.diffusion.lora.LoraWeights;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.pretrained.DiffusersFolder;
import dev.alignloop.diffusion.pretrained.ModelIndex;
import dev.alignloop.diffusion.scheduler.DDPMScheduler;
import dev.alignloop.diffusion.unet.UNet2DConditionConfig;
import dev.alignloop.diffusion.unet.UNet2DConditionModel;
import dev.alignloop.diffusion.vae.AutoencoderKL;
import dev.alignloop.text.ClipTokenizer;
import dev.alignloop.text.TextTokenizer;
import dev.alignloop.text.Tokenizers;
import dev.alignloop.text.WordLevelTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The models of a Diffusion-DPO run, loaded component by component from diffusers folders: the
 * trainable policy UNet, the frozen reference UNet (eval mode, no gradients), the frozen text
 * encoder and its tokenizer, the training scheduler ({@code DDPMScheduler} from the folder's
 * {@code scheduler/} config, as the official script) and, for latent models, the frozen VAE that
 * encodes images to latents. All arrays live in one manager, closed with this object.
 *
 * <p>With {@code alignloop.trainer.lora.rank > 0} the policy carries LoRA adapters
 * ({@link #lora()}): its own weights are frozen and {@link #trainable()} is the adapters; checkpoints
 * hold the merged UNet plus the adapters ({@link #checkpointWeights()}, {@link #restoreWeights}).
 *
 * <p>The prompt length and tokenizer strictness follow the generator's rules (the same
 * {@code tokenizer_config.json} {@code model_max_length}, else CLIP's, else the text encoder's
 * positions), so the policy is trained on exactly the conditioning it samples with.
 */
public final class TrainerModels implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrainerModels.class);
  private static final String TOKENIZER_CONFIG = "tokenizer_config.json";

  private final NDManager manager;
  private final Path baseDir;
  private final UNet2DConditionModel policy;
  private final LoraAdapters lora;
  private final UNet2DConditionModel reference;
  private final ClipTextModel textEncoder;
  private final TextTokenizer tokenizer;
  private final AutoencoderKL vae;
  private final DDPMScheduler scheduler;
  private final int maxTokens;
  private final int imageSize;

  private TrainerModels(NDManager manager, Path baseDir, UNet2DConditionModel policy, LoraAdapters lora,
      UNet2DConditionModel reference, ClipTextModel textEncoder, TextTokenizer tokenizer, AutoencoderKL vae,
      DDPMScheduler scheduler, int maxTokens, int imageSize) {
    this.manager = manager;
    this.baseDir = baseDir;
    this.policy = policy;
    this.lora = lora;
    this.reference = reference;
    this.textEncoder = textEncoder;
    this.tokenizer = tokenizer;
    this.vae = vae;
    this.scheduler = scheduler;
    this.maxTokens = maxTokens;
    this.imageSize = imageSize;
  }

  /**
   * Loads everything {@code config} names.
   *
   * @throws IllegalArgumentException naming the folder, the {@code alignloop.trainer.*} key and
   *     every problem found, if a folder is missing, incomplete or inconsistent
   */
  public static TrainerModels load(TrainerConfig config) {
    Path base = config.modelPath().toAbsolutePath().normalize();
    Path refDir = config.referencePath().toAbsolutePath().normalize();
    DiffusersFolder folder = open(base, "model-dir", ModelIndex.UNET, ModelIndex.TEXT_ENCODER, ModelIndex.TOKENIZER,
        ModelIndex.SCHEDULER);
    DiffusersFolder refFolder = refDir.equals(base) ? folder : open(refDir, "reference-dir", ModelIndex.UNET);
    Device device = ComputeDevice.resolve(config.device(), "alignloop.trainer.device");
    LOG.info("trainer models on {} (alignloop.trainer.device={})", device, config.device());
    NDManager manager = ComputeDevice.newManager(device);
    try {
      UNet2DConditionModel policy = UNet2DConditionModel.fromPretrained(folder.unetDir(), manager);
      UNet2DConditionModel reference = UNet2DConditionModel.fromPretrained(refFolder.unetDir(), manager);
      ClipTextModel clip = ClipTextModel.fromPretrained(folder.textEncoderDir(), manager);
      TextTokenizer tokenizer = Tokenizers.load(folder.tokenizerDir());
      if (config.strictTokenizer() && tokenizer instanceof WordLevelTokenizer w) {
        tokenizer = w.strict(true);
      }
      AutoencoderKL vae = folder.has(ModelIndex.VAE) ? AutoencoderKL.fromPretrained(folder.vaeDir(), manager) : null;
      DDPMScheduler scheduler = DpoTrainingStep.trainingScheduler(folder.schedulerDir());
      List<String> problems = check(policy.config(), reference.config(), clip, vae);
      int maxTokens = config.maxPromptTokens() > 0 ? config.maxPromptTokens() : defaultMaxTokens(folder, tokenizer, clip);
      if (maxTokens > clip.config().maxPositionEmbeddings()) {
        problems.add("prompt length " + maxTokens + " tokens exceeds text_encoder max_position_embeddings "
            + clip.config().maxPositionEmbeddings() + " (alignloop.trainer.max-prompt-tokens)");
      }
      int factor = vae == null ? 1 : vae.config().downsampleFactor();
      Integer sample = policy.config().sampleSize();
      int size = config.imageSize() > 0 ? config.imageSize() : sample == null ? 0 : sample * factor;
      if (size <= 0) {
        problems.add("unet/config.json has no sample_size: set alignloop.trainer.image-size");
      } else if (size % factor != 0) {
        problems.add("image size " + size + " is not a multiple of the VAE's downsampling factor " + factor);
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(base + ": cannot train this model: " + String.join("; ", problems));
      }
      // requires_grad_(False) on everything but the policy; the reference runs in eval mode (no dropout).
      reference.freeze().eval();
      clip.freeze().eval();
      if (vae != null) {
        vae.freeze().eval();
      }
      LoraAdapters lora = config.loraConfig().map(c -> inject(policy, c, config.seed())).orElse(null);
      policy.train(true);
      (lora != null ? lora : policy).attachGradients();
      return new TrainerModels(manager, base, policy, lora, reference, clip, tokenizer, vae, scheduler, maxTokens, size);
    } catch (RuntimeException e) {
      manager.close(); // don't leak the native arrays of what did load
      throw e;
    }
  }

  /** peft get_peft_model: adapters on the policy, which is frozen from then on. */
  private static LoraAdapters inject(UNet2DConditionModel policy, LoraConfig config, long seed) {
    try {
      return LoraAdapters.inject(policy, config, seed);
    } catch (LoraException e) {
      throw new IllegalArgumentException("alignloop.trainer.lora.targets: " + e.getMessage(), e);
    }
  }

  private static DiffusersFolder open(Path dir, String key, String... required) {
    try {
      return DiffusersFolder.open(dir, required);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("alignloop.trainer." + key + ": " + e.getMessage(), e);
    }
  }

  private static List<String> check(UNet2DConditionConfig unet, UNet2DConditionConfig ref, ClipTextModel clip,
      AutoencoderKL vae) {
    List<String> problems = new ArrayList<>();
    if (unet.usesTextTime()) {
      problems.add("unet addition_embed_type \"text_time\" (SDXL micro-conditioning) is not supported by the trainer yet");
    }
    if (unet.outChannels() != unet.inChannels()) {
      problems.add("unet out_channels " + unet.outChannels() + " differs from in_channels " + unet.inChannels());
    }
    if (vae == null && unet.inChannels() != 3) {
      problems.add("no vae, so the model must be pixel-space (unet in_channels 3), but in_channels is "
          + unet.inChannels());
    }
    if (vae != null && unet.inChannels() != vae.config().latentChannels()) {
      problems.add("unet in_channels " + unet.inChannels() + " differs from vae latent_channels "
          + vae.config().latentChannels());
    }
    if (ref.inChannels() != unet.inChannels() || ref.outChannels() != unet.outChannels()
        || !Objects.equals(ref.crossAttentionDim(), unet.crossAttentionDim())) {
      problems.add("the reference UNet (channels " + ref.inChannels() + "/" + ref.outChannels() + ", cross_attention_dim "
          + ref.crossAttentionDim() + ") does not match the policy (" + unet.inChannels() + "/" + unet.outChannels()
          + ", " + unet.crossAttentionDim() + ")");
    }
    for (int i = 0; i < unet.numBlocks(); i++) {
      if (unet.crossAttentionDim().get(i) != clip.config().hiddenSize()) {
        problems.add("unet cross_attention_dim " + unet.crossAttentionDim() + " differs from text_encoder hidden_size "
            + clip.config().hiddenSize());
        break;
      }
    }
    return problems;
  }

  /** {@code tokenizer_config.json}'s {@code model_max_length}, else CLIP's, else the encoder's positions. */
  private static int defaultMaxTokens(DiffusersFolder folder, TextTokenizer tokenizer, ClipTextModel clip) {
    Path file = folder.tokenizerDir().resolve(TOKENIZER_CONFIG);
    if (Files.isRegularFile(file)) {
      try {
        JsonNode max = new ObjectMapper().readTree(file.toFile()).get("model_max_length");
        // transformers writes int(1e30) when no limit is known: then it says nothing.
        if (max != null && max.isNumber() && max.asDouble() >= 1 && max.asDouble() < 1e9) {
          return max.asInt();
        }
      } catch (IOException e) {
        throw new IllegalArgumentException(file + ": unreadable: " + e.getMessage(), e);
      }
    }
    if (tokenizer instanceof ClipTokenizer c) {
      return Math.min(c.modelMaxLength(), clip.config().maxPositionEmbeddings());
    }
    return clip.config().maxPositionEmbeddings();
  }

  /** The manager every model array lives in; per-step work uses sub-managers of it. */
  public NDManager manager() {
    return manager;
  }

  /** The absolute base folder (its {@code model_index.json} and {@code scheduler/} go into checkpoints). */
  public Path baseDir() {
    return baseDir;
  }

  /** The trainable UNet. */
  public UNet2DConditionModel policy() {
    return policy;
  }

  /** The policy's LoRA adapters, or null when training all of its weights. */
  public LoraAdapters lora() {
    return lora;
  }

  /**
   * What the optimizer steps, gradient clipping measures and {@code zeroGrad} clears: the LoRA
   * adapters when LoRA is on (their parameters only, under peft's names), else the policy.
   */
  public Module trainable() {
    return lora != null ? lora : policy;
  }

  /**
   * Writes the policy's {@code unet/} into a checkpoint folder: the UNet itself, or with LoRA the
   * base weights with the adapters merged in (a plain diffusers UNet every loader reads) plus the
   * adapters alone in {@code pytorch_lora_weights.safetensors} at the folder's root.
   */
  public WeightsWriter checkpointWeights() {
    if (lora == null) {
      return DiffusersWeights.unet(policy);
    }
    return dir -> {
      LoraWeights.saveMerged(policy, lora, dir.resolve(ModelIndex.UNET));
      LoraWeights.save(lora, dir);
    };
  }

  /**
   * Restores the trained weights from a (verified) checkpoint written by {@link #checkpointWeights()}:
   * the {@code unet/} weights, or with LoRA the adapters (the base stays this run's base model).
   *
   * @throws CheckpointException when the checkpoint was written with LoRA on and now it is off, or
   *     the other way round, or with other LoRA settings; or holds weights of another shape
   */
  public void restoreWeights(TrainingCheckpoint checkpoint, NDManager scratch) {
    Path loraFile = checkpoint.dir().resolve(LoraWeights.FILE_NAME);
    boolean hasLora = Files.isRegularFile(loraFile);
    if (lora == null) {
      if (hasLora) {
        throw new CheckpointException(checkpoint.dir() + " was trained with LoRA (" + LoraWeights.FILE_NAME
            + ") but alignloop.trainer.lora.rank is 0: set the run's LoRA settings again, or start a fresh run"
            + " from its merged unet/ as alignloop.trainer.model-dir");
      }
      policy.loadStateDict(checkpoint.stateDict(ModelIndex.UNET, scratch), true,
          checkpoint.dir().resolve(ModelIndex.UNET).toString());
      return;
    }
    if (!hasLora) {
      throw new CheckpointException(checkpoint.dir() + " has no " + LoraWeights.FILE_NAME + " (trained without LoRA)"
          + " but alignloop.trainer.lora.rank is " + lora.config().rank() + ": set it to 0, or start a fresh run from"
          + " this checkpoint's unet/ as alignloop.trainer.model-dir");
    }
    try (NDManager m = scratch.newSubManager()) {
      LoraWeights.LoraFile f = LoraWeights.read(loraFile, m);
      if (!f.config().equals(lora.config())) {
        throw new CheckpointException(loraFile + " holds LoRA rank " + f.config().rank() + ", alpha " + f.config().alpha()
            + ", targets " + f.config().targets() + " but alignloop.trainer.lora.* configure rank " + lora.config().rank()
            + ", alpha " + lora.config().alpha() + ", targets " + lora.config().targets());
      }
      lora.loadStateDict(f.state(), true, loraFile.toString());
    } catch (LoraException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
  }

  /** The frozen reference UNet. */
  public UNet2DConditionModel reference() {
    return reference;
  }

  /** The frozen text encoder. */
  public ClipTextModel textEncoder() {
    return textEncoder;
  }

  /** The tokenizer (strict for word-level ones when configured). */
  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  /** The frozen VAE of a latent model, or null for a pixel-space one. */
  public AutoencoderKL vae() {
    return vae;
  }

  /** The training scheduler. */
  public DDPMScheduler scheduler() {
    return scheduler;
  }

  /** Prompt length in tokens, padding included. */
  public int maxTokens() {
    return maxTokens;
  }

  /** Side of the training images in pixels. */
  public int imageSize() {
    return imageSize;
  }

  /** Side of the UNet's input ({@link #imageSize()} / the VAE's factor). */
  public int latentSize() {
    return vae == null ? imageSize : imageSize / vae.config().downsampleFactor();
  }

  @Override
  public void close() {
    manager.close();
  }
}
