package dev.alignloop.trainer;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alignloop.diffusion.clip.ClipTextModel;
import dev.alignloop.diffusion.dpo.DpoTrainingStep;
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
 * <p>The prompt length and tokenizer strictness follow the generator's rules (the same
 * {@code tokenizer_config.json} {@code model_max_length}, else CLIP's, else the text encoder's
 * positions), so the policy is trained on exactly the conditioning it samples with.
 */
public final class TrainerModels implements AutoCloseable {
  private static final String TOKENIZER_CONFIG = "tokenizer_config.json";

  private final NDManager manager;
  private final Path baseDir;
  private final UNet2DConditionModel policy;
  private final UNet2DConditionModel reference;
  private final ClipTextModel textEncoder;
  private final TextTokenizer tokenizer;
  private final AutoencoderKL vae;
  private final DDPMScheduler scheduler;
  private final int maxTokens;
  private final int imageSize;

  private TrainerModels(NDManager manager, Path baseDir, UNet2DConditionModel policy, UNet2DConditionModel reference,
      ClipTextModel textEncoder, TextTokenizer tokenizer, AutoencoderKL vae, DDPMScheduler scheduler, int maxTokens,
      int imageSize) {
    this.manager = manager;
    this.baseDir = baseDir;
    this.policy = policy;
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
    NDManager manager = NDManager.newBaseManager();
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
      policy.train(true).attachGradients();
      return new TrainerModels(manager, base, policy, reference, clip, tokenizer, vae, scheduler, maxTokens, size);
    } catch (RuntimeException e) {
      manager.close(); // don't leak the native arrays of what did load
      throw e;
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
