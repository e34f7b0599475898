package dev.alignloop.trainer;

import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.clip.ClipTextConfig;
import dev.alignloop.diffusion.clip.ClipTextModel;
import dev.alignloop.diffusion.pretrained.ComponentSpec;
import dev.alignloop.diffusion.pretrained.ModelIndex;
import dev.alignloop.diffusion.scheduler.SchedulerConfig;
import dev.alignloop.diffusion.unet.UNet2DConditionConfigJson;
import dev.alignloop.diffusion.unet.UNet2DConditionModel;
import dev.alignloop.diffusion.vae.AutoencoderKL;
import dev.alignloop.diffusion.vae.AutoencoderKLConfig;
import dev.alignloop.text.WordLevelTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A tiny, randomly initialised pixel-space text-to-image diffusers folder, written by the test:
 * UNet blocks [8, 16] at 16×16 (cross-attention at the lower resolution and in the mid block), a
 * one-layer CLIP text encoder of width 16, a word-level tokenizer and a DDPM scheduler config. A
 * DPO step on 2 pairs takes milliseconds on a CPU.
 */
final class TinyModel {
  static final int SIZE = 16;
  static final int HIDDEN = 16;
  static final int MAX_TOKENS = 8;
  static final List<String> WORDS = List.of("a", "red", "green", "blue", "circle", "square", "triangle", "above",
      "below", "left", "of", "right");

  private TinyModel() {}

  /** Writes the pixel-space folder and returns it. */
  static Path write(Path dir, long seed) {
    return write(dir, seed, false);
  }

  /**
   * Writes the folder; {@code latent}: with a tiny VAE (4 latent channels, factor 2) and a UNet on
   * 8×8 latents, so the images are still {@link #SIZE} pixels.
   */
  static Path write(Path dir, long seed, boolean latent) {
    WordLevelTokenizer tokenizer = WordLevelTokenizer.builder()
        .optPadToken("[PAD]").optUnkToken("[UNK]").optBosToken("[BOS]").optEosToken("[EOS]")
        .addWords(WORDS)
        .build();
    ClipTextConfig clip = new ClipTextConfig(tokenizer.vocabSize(), HIDDEN, 2 * HIDDEN, HIDDEN, 1, 2, MAX_TOKENS, "gelu",
        1e-5, 0.0, 0.0, 0.02, 1.0, tokenizer.tokenToId("[PAD]"), tokenizer.tokenToId("[BOS]"),
        tokenizer.tokenToId("[EOS]"), List.of(ClipTextConfig.CLIP_TEXT_MODEL), ClipTextConfig.MODEL_TYPE);
    try (NDManager manager = NDManager.newBaseManager()) {
      int channels = latent ? 4 : 3;
      UNet2DConditionModel.random(UNet2DConditionConfigJson.parse(
          UNET.formatted(latent ? SIZE / 2 : SIZE, channels, channels, HIDDEN)), seed, manager)
          .save(dir.resolve(ModelIndex.UNET));
      if (latent) {
        AutoencoderKL.random(AutoencoderKLConfig.of(3, List.of(8, 16), 1, 4, 4, SIZE), seed + 2, manager)
            .save(dir.resolve(ModelIndex.VAE));
      }
      ClipTextModel.random(clip, seed + 1, manager).save(dir.resolve(ModelIndex.TEXT_ENCODER));
    }
    tokenizer.save(dir.resolve(ModelIndex.TOKENIZER));
    SchedulerConfig.parse("""
        {"_class_name": "DDPMScheduler", "num_train_timesteps": 1000, "beta_schedule": "squaredcos_cap_v2",
         "prediction_type": "epsilon", "clip_sample": true}
        """).save(dir.resolve(ModelIndex.SCHEDULER));
    ModelIndex.of("AlignLoopPixelDiffusionPipeline", Map.of(
        ModelIndex.UNET, ComponentSpec.diffusers("UNet2DConditionModel"),
        ModelIndex.TEXT_ENCODER, ComponentSpec.transformers(ClipTextConfig.CLIP_TEXT_MODEL),
        ModelIndex.TOKENIZER, ComponentSpec.transformers("PreTrainedTokenizerFast"),
        ModelIndex.SCHEDULER, ComponentSpec.diffusers("DDPMScheduler"),
        ModelIndex.VAE, latent ? ComponentSpec.diffusers("AutoencoderKL") : ComponentSpec.ABSENT)).write(dir);
    return dir;
  }

  private static final String UNET = """
      {"_class_name": "UNet2DConditionModel", "sample_size": %d, "in_channels": %d, "out_channels": %d,
       "down_block_types": ["DownBlock2D", "CrossAttnDownBlock2D"],
       "mid_block_type": "UNetMidBlock2DCrossAttn",
       "up_block_types": ["CrossAttnUpBlock2D", "UpBlock2D"],
       "block_out_channels": [8, 16], "layers_per_block": 1, "norm_num_groups": 4,
       "cross_attention_dim": %d, "attention_head_dim": 2, "act_fn": "silu",
       "flip_sin_to_cos": true, "freq_shift": 0}
      """;
}
