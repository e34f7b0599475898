package dev.alignloop.diffusion.pretrained;

import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.clip.ClipTextConfig;
import dev.alignloop.diffusion.clip.ClipTextModel;
import dev.alignloop.diffusion.scheduler.SchedulerConfig;
import dev.alignloop.diffusion.unet.UNet2DConditionConfigJson;
import dev.alignloop.diffusion.unet.UNet2DConditionModel;
import dev.alignloop.text.WordLevelTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Writes tiny, randomly initialised pixel-space text-to-image folders in the diffusers layout —
 * for tests, benchmarks of the plumbing and demos that must not wait for a trained model (like
 * {@code reward.onnx.TinyClipOnnx} for reward models). The images are meaningless, but every
 * code path of loading and sampling runs, in milliseconds per step on a CPU.
 *
 * <p>Layout: {@code model_index.json} (no VAE), {@code unet/} (blocks [8, 16], cross-attention at
 * the lower resolution and in the mid block), {@code text_encoder/} (one CLIP layer, hidden 16),
 * {@code tokenizer/tokenizer.json} (word-level: {@code [PAD]=0 [UNK]=1 [BOS]=2 [EOS]=3}, then
 * the given words) and {@code scheduler/} (DDIM, trailing spacing, clipped samples).
 */
public final class TinyPolicyFolder {
    /** Pipeline class written to {@code model_index.json}. */
    public static final String PIPELINE_CLASS = "AlignLoopPixelDiffusionPipeline";
    /** Text encoder width, also the UNet's {@code cross_attention_dim}. */
    public static final int HIDDEN = 16;
    /** Text encoder positions = the longest prompt in tokens, {@code [BOS]} and {@code [EOS]} included. */
    public static final int MAX_TOKENS = 8;

    private TinyPolicyFolder() {
    }

    /**
     * Writes a folder.
     *
     * @param dir the pipeline folder to write (created; existing files are overwritten)
     * @param imageSize image side in pixels, a multiple of 2
     * @param words the tokenizer's vocabulary (lowercase, no spaces)
     * @param seed weights are a deterministic function of it
     * @return {@code dir}
     */
    public static Path write(Path dir, int imageSize, Collection<String> words, long seed) {
        if (imageSize < 2 || imageSize % 2 != 0) {
            throw new IllegalArgumentException("imageSize must be a positive multiple of 2, got " + imageSize);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        WordLevelTokenizer tokenizer = WordLevelTokenizer.builder()
                .optPadToken("[PAD]").optUnkToken("[UNK]").optBosToken("[BOS]").optEosToken("[EOS]")
                .addWords(words)
                .build();
        ClipTextConfig clip = new ClipTextConfig(tokenizer.vocabSize(), HIDDEN, 2 * HIDDEN, HIDDEN, 1, 2, MAX_TOKENS,
                "gelu", 1e-5, 0.0, 0.0, 0.02, 1.0, tokenizer.tokenToId("[PAD]"), tokenizer.tokenToId("[BOS]"),
                tokenizer.tokenToId("[EOS]"), List.of(ClipTextConfig.CLIP_TEXT_MODEL), ClipTextConfig.MODEL_TYPE);
        try (NDManager manager = NDManager.newBaseManager()) {
            UNet2DConditionModel.random(UNet2DConditionConfigJson.parse(unetJson(imageSize)), seed, manager)
                    .save(dir.resolve(ModelIndex.UNET));
            ClipTextModel.random(clip, seed + 1, manager).save(dir.resolve(ModelIndex.TEXT_ENCODER));
        }
        tokenizer.save(dir.resolve(ModelIndex.TOKENIZER));
        scheduler().save(dir.resolve(ModelIndex.SCHEDULER));
        modelIndex().write(dir);
        return dir;
    }

    /** @return the {@code model_index.json} of these folders */
    public static ModelIndex modelIndex() {
        return ModelIndex.of(PIPELINE_CLASS, Map.of(
                ModelIndex.UNET, ComponentSpec.diffusers("UNet2DConditionModel"),
                ModelIndex.TEXT_ENCODER, ComponentSpec.transformers(ClipTextConfig.CLIP_TEXT_MODEL),
                ModelIndex.TOKENIZER, ComponentSpec.transformers("PreTrainedTokenizerFast"),
                ModelIndex.SCHEDULER, ComponentSpec.diffusers("DDIMScheduler"),
                ModelIndex.VAE, ComponentSpec.ABSENT));
    }

    /** @return the sampling scheduler: DDIM, trailing spacing (few steps start from pure noise), x0 clipped */
    public static SchedulerConfig scheduler() {
        return SchedulerConfig.parse("""
                {"_class_name": "DDIMScheduler", "num_train_timesteps": 1000, "beta_schedule": "squaredcos_cap_v2",
                 "prediction_type": "epsilon", "clip_sample": true, "clip_sample_range": 1.0,
                 "set_alpha_to_one": true, "steps_offset": 0, "timestep_spacing": "trailing"}
                """);
    }

    private static String unetJson(int imageSize) {
        return """
                {"_class_name": "UNet2DConditionModel", "sample_size": %d, "in_channels": 3, "out_channels": 3,
                 "down_block_types": ["DownBlock2D", "CrossAttnDownBlock2D"],
                 "mid_block_type": "UNetMidBlock2DCrossAttn",
                 "up_block_types": ["CrossAttnUpBlock2D", "UpBlock2D"],
                 "block_out_channels": [8, 16], "layers_per_block": 1, "norm_num_groups": 4,
                 "cross_attention_dim": %d, "attention_head_dim": 2, "act_fn": "silu",
                 "flip_sin_to_cos": true, "freq_shift": 0}
                """.formatted(imageSize, HIDDEN);
    }
}
