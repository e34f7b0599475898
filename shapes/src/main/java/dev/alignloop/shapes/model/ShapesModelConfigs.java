package dev.alignloop.shapes.model;

import dev.alignloop.diffusion.clip.ClipTextConfig;
import dev.alignloop.diffusion.pretrained.ComponentSpec;
import dev.alignloop.diffusion.pretrained.ModelIndex;
import dev.alignloop.diffusion.scheduler.SchedulerConfig;
import dev.alignloop.diffusion.scheduler.SchedulerType;
import dev.alignloop.diffusion.unet.UNet2DConditionConfig;
import dev.alignloop.diffusion.unet.UNet2DConditionConfigJson;
import java.util.List;
import java.util.Map;

/**
 * The configurations of the shapes world's tiny base model: a pixel-space text-conditioned UNet
 * (32×32×3 in and out, no VAE), a small CLIP-style text encoder trained with it, and its noise
 * schedule. The numbers are chosen for 2 CPU cores (DESIGN §9: one fwd+bwd of this UNet on 16
 * images takes well under a second; attention at 32×32 would make it ~7× slower).
 *
 * <ul>
 *   <li><b>UNet</b> ({@link #unet()}): block_out_channels [32, 64, 64], one resnet per down block,
 *       {@code DownBlock2D} at 32×32 (no attention at full resolution), cross-attention at 16×16
 *       and 8×8 and in the mid block, 4 heads of 16, norm_num_groups 8, cross_attention_dim = the
 *       text encoder's hidden size. About 1.7M parameters.</li>
 *   <li><b>Text encoder</b> ({@link #textEncoder(int)}): {@code CLIPTextModel}, hidden 64, MLP 256,
 *       2 layers, 4 heads, 16 positions ({@link ShapesTokenizer#MAX_LENGTH}), GELU; the UNet
 *       cross-attends to its {@code last_hidden_state}.</li>
 *   <li><b>Schedule</b>: 1000 training steps, {@code squaredcos_cap_v2} betas (the improved-DDPM
 *       cosine schedule, made for 32×32/64×64 pixel models: the linear schedule destroys a
 *       small image's content in the first few hundred steps and wastes training there),
 *       {@code v_prediction} (at high noise the network then predicts about -x0 directly; with
 *       epsilon prediction x0 = (x_t - sqrt(1-ᾱ) ε̂) / sqrt(ᾱ) amplifies the error 10× and more
 *       at t &gt; 900, and a short CPU training budget leaves sampled images as coloured noise),
 *       x0 clipped to [-1, 1] (pixel space). Training uses {@code DDPMScheduler}
 *       ({@link #trainingScheduler()}); the shipped folder holds {@code DDIMScheduler} with
 *       {@code trailing} spacing ({@link #samplingScheduler()}), so 20-30 sampling steps start
 *       from t = 999, pure noise, as in training.</li>
 * </ul>
 */
public final class ShapesModelConfigs {

    /** Image side in pixels. */
    public static final int IMAGE_SIZE = 32;
    /** Image channels (RGB, pixel space: no VAE). */
    public static final int CHANNELS = 3;
    /** Text encoder hidden size = the UNet's cross_attention_dim. */
    public static final int TEXT_HIDDEN = 64;
    /** Number of training timesteps. */
    public static final int TRAIN_TIMESTEPS = 1000;
    /** The {@code _class_name} written to {@code model_index.json}: a pixel-space text-to-image pipeline without VAE. */
    public static final String PIPELINE_CLASS = "AlignLoopPixelDiffusionPipeline";

    private ShapesModelConfigs() {
    }

    /** The UNet's {@code config.json} (diffusers keys; see the class documentation). */
    public static String unetConfigJson() {
        return """
                {
                  "_class_name": "UNet2DConditionModel",
                  "sample_size": %d,
                  "in_channels": %d,
                  "out_channels": %d,
                  "down_block_types": ["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"],
                  "mid_block_type": "UNetMidBlock2DCrossAttn",
                  "up_block_types": ["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"],
                  "block_out_channels": [32, 64, 64],
                  "layers_per_block": 1,
                  "norm_num_groups": 8,
                  "cross_attention_dim": %d,
                  "attention_head_dim": 4,
                  "act_fn": "silu",
                  "flip_sin_to_cos": true,
                  "freq_shift": 0
                }
                """.formatted(IMAGE_SIZE, CHANNELS, CHANNELS, TEXT_HIDDEN);
    }

    /** The UNet config (see {@link #unetConfigJson()}). */
    public static UNet2DConditionConfig unet() {
        return UNet2DConditionConfigJson.parse(unetConfigJson());
    }

    /**
     * The text encoder config for a tokenizer of {@code vocabSize} ids.
     *
     * @param vocabSize {@link ShapesTokenizer#vocabSize()}
     */
    public static ClipTextConfig textEncoder(int vocabSize) {
        return new ClipTextConfig(vocabSize, TEXT_HIDDEN, 4 * TEXT_HIDDEN, TEXT_HIDDEN, 2, 4,
                ShapesTokenizer.MAX_LENGTH, "gelu", 1e-5, 0.0, 0.0, 0.02, 1.0,
                ShapesTokenizer.PAD_ID, ShapesTokenizer.BOS_ID, ShapesTokenizer.EOS_ID,
                List.of(ClipTextConfig.CLIP_TEXT_MODEL), ClipTextConfig.MODEL_TYPE);
    }

    /** The sampling scheduler shipped in {@code scheduler/}: DDIM, trailing spacing. */
    public static SchedulerConfig samplingScheduler() {
        return SchedulerConfig.parse("""
                {
                  "_class_name": "DDIMScheduler",
                  "num_train_timesteps": %d,
                  "beta_schedule": "squaredcos_cap_v2",
                  "prediction_type": "v_prediction",
                  "clip_sample": true,
                  "clip_sample_range": 1.0,
                  "set_alpha_to_one": true,
                  "steps_offset": 0,
                  "timestep_spacing": "trailing"
                }
                """.formatted(TRAIN_TIMESTEPS));
    }

    /** The training scheduler: {@link #samplingScheduler()} read as DDPM (same betas and prediction type). */
    public static SchedulerConfig trainingScheduler() {
        return samplingScheduler().withType(SchedulerType.DDPM);
    }

    /**
     * {@code model_index.json}: unet, text_encoder, tokenizer (a {@code tokenizer.json}, hence
     * {@code PreTrainedTokenizerFast}), scheduler; {@code vae} absent (pixel space).
     */
    public static ModelIndex modelIndex() {
        return ModelIndex.of(PIPELINE_CLASS, Map.of(
                ModelIndex.UNET, ComponentSpec.diffusers("UNet2DConditionModel"),
                ModelIndex.TEXT_ENCODER, ComponentSpec.transformers(ClipTextConfig.CLIP_TEXT_MODEL),
                ModelIndex.TOKENIZER, ComponentSpec.transformers("PreTrainedTokenizerFast"),
                ModelIndex.SCHEDULER, ComponentSpec.diffusers("DDIMScheduler"),
                ModelIndex.VAE, ComponentSpec.ABSENT));
    }
}
