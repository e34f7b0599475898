package dev.alignloop.diffusion.unet;

import dev.alignloop.diffusion.nn.Activation;
import java.util.List;
import java.util.Objects;

/**
 * The {@code unet/config.json} of a diffusers {@code UNet2DConditionModel} (v0.25.0), one
 * component per key that changes the model; {@link UNet2DConditionConfigJson} reads and writes
 * the file (unknown keys ignored, keys we do not implement must keep their diffusers default or
 * fail with {@link UnsupportedConfigException}).
 *
 * <p>Naming quirk kept from diffusers: {@code attention_head_dim} is really the number of heads
 * per block ({@code num_attention_heads = num_attention_heads or attention_head_dim}); each
 * block's heads have dim {@code out_channels // heads}. See {@link #numAttentionHeads(int)}.
 */
public record UNet2DConditionConfig(
        Integer sampleSize,                    // sample_size (informational; any H, W work)
        int inChannels,                        // in_channels
        int outChannels,                       // out_channels
        boolean centerInputSample,             // center_input_sample: sample = 2 * sample - 1
        boolean flipSinToCos,                  // flip_sin_to_cos
        int freqShift,                         // freq_shift (Timesteps downscale_freq_shift)
        List<DownBlockType> downBlockTypes,    // down_block_types
        MidBlockType midBlockType,             // mid_block_type (null: no mid block)
        List<UpBlockType> upBlockTypes,        // up_block_types
        List<Integer> blockOutChannels,        // block_out_channels
        PerBlock layersPerBlock,               // layers_per_block
        int downsamplePadding,                 // downsample_padding
        double midBlockScaleFactor,            // mid_block_scale_factor
        double dropout,                        // dropout
        String actFn,                          // act_fn
        int normNumGroups,                     // norm_num_groups
        double normEps,                        // norm_eps
        PerBlock crossAttentionDim,            // cross_attention_dim
        PerBlock transformerLayersPerBlock,    // transformer_layers_per_block
        PerBlock attentionHeadDim,             // attention_head_dim (= heads, see class doc)
        boolean useLinearProjection,           // use_linear_projection
        String additionEmbedType,              // addition_embed_type: null or "text_time"
        Integer additionTimeEmbedDim,          // addition_time_embed_dim
        boolean upcastAttention,               // upcast_attention (no effect in float32)
        boolean resnetSkipTimeAct,             // resnet_skip_time_act (unused by these block types)
        double resnetOutScaleFactor,           // resnet_out_scale_factor (unused by these block types)
        Integer timeEmbeddingDim,              // time_embedding_dim (null: 4 * block_out_channels[0])
        String timeEmbeddingActFn,             // time_embedding_act_fn
        String timestepPostAct,                // timestep_post_act
        int convInKernel,                      // conv_in_kernel
        int convOutKernel,                     // conv_out_kernel
        Integer projectionClassEmbeddingsInputDim, // projection_class_embeddings_input_dim
        Boolean midBlockOnlyCrossAttention,    // mid_block_only_cross_attention (unused by these block types)
        String crossAttentionNorm,             // cross_attention_norm (unused by these block types)
        int additionEmbedTypeNumHeads) {       // addition_embed_type_num_heads (unused for text_time)

    /** The value of {@code addition_embed_type} for SDXL-style size/crop conditioning. */
    public static final String TEXT_TIME = "text_time";

    /** Down block types implemented here (config names). */
    public enum DownBlockType {
        CrossAttnDownBlock2D, DownBlock2D;

        boolean hasCrossAttention() {
            return this == CrossAttnDownBlock2D;
        }
    }

    /** Up block types implemented here (config names). */
    public enum UpBlockType {
        CrossAttnUpBlock2D, UpBlock2D;

        boolean hasCrossAttention() {
            return this == CrossAttnUpBlock2D;
        }
    }

    /** Mid block types implemented here (config names). */
    public enum MidBlockType { UNetMidBlock2DCrossAttn }

    /** Validates like diffusers' constructor; messages name the conflicting keys. */
    public UNet2DConditionConfig {
        Objects.requireNonNull(downBlockTypes, "down_block_types");
        Objects.requireNonNull(upBlockTypes, "up_block_types");
        Objects.requireNonNull(blockOutChannels, "block_out_channels");
        Objects.requireNonNull(layersPerBlock, "layers_per_block");
        Objects.requireNonNull(crossAttentionDim, "cross_attention_dim");
        Objects.requireNonNull(transformerLayersPerBlock, "transformer_layers_per_block");
        Objects.requireNonNull(attentionHeadDim, "attention_head_dim");
        downBlockTypes = List.copyOf(downBlockTypes);
        upBlockTypes = List.copyOf(upBlockTypes);
        blockOutChannels = List.copyOf(blockOutChannels);
        int n = downBlockTypes.size();
        if (n == 0) {
            throw new IllegalArgumentException("down_block_types must not be empty");
        }
        if (upBlockTypes.size() != n) {
            throw new IllegalArgumentException("Must provide the same number of down_block_types as up_block_types: "
                    + downBlockTypes + " vs " + upBlockTypes);
        }
        if (blockOutChannels.size() != n) {
            throw new IllegalArgumentException("Must provide the same number of block_out_channels as down_block_types: "
                    + blockOutChannels + " vs " + downBlockTypes);
        }
        layersPerBlock.checkLength("layers_per_block", n);
        crossAttentionDim.checkLength("cross_attention_dim", n);
        transformerLayersPerBlock.checkLength("transformer_layers_per_block", n);
        attentionHeadDim.checkLength("attention_head_dim", n);
        positive("in_channels", inChannels);
        positive("out_channels", outChannels);
        positive("norm_num_groups", normNumGroups);
        for (int i = 0; i < n; i++) {
            int ch = blockOutChannels.get(i);
            positive("block_out_channels", ch);
            if (ch % normNumGroups != 0) {
                throw new IllegalArgumentException("block_out_channels[" + i + "]=" + ch
                        + " is not divisible by norm_num_groups=" + normNumGroups);
            }
            positive("layers_per_block", layersPerBlock.get(i));
            positive("transformer_layers_per_block", transformerLayersPerBlock.get(i));
            positive("cross_attention_dim", crossAttentionDim.get(i));
            int heads = attentionHeadDim.get(i);
            positive("attention_head_dim", heads);
            boolean attn = downBlockTypes.get(i).hasCrossAttention() || upBlockTypes.get(n - 1 - i).hasCrossAttention()
                    || (i == n - 1 && midBlockType != null);
            if (attn && ch % heads != 0) {
                throw new IllegalArgumentException("block_out_channels[" + i + "]=" + ch + " is not divisible by "
                        + "attention_head_dim[" + i + "]=" + heads + " (diffusers uses it as the number of heads)");
            }
        }
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (normEps <= 0) {
            throw new IllegalArgumentException("norm_eps must be positive, got " + normEps);
        }
        if (downsamplePadding < 0) {
            throw new IllegalArgumentException("downsample_padding must be >= 0, got " + downsamplePadding);
        }
        if (convInKernel % 2 == 0 || convOutKernel % 2 == 0) {
            throw new UnsupportedConfigException("conv_in_kernel/conv_out_kernel", convInKernel + "/" + convOutKernel,
                    "even kernels give asymmetric padding in diffusers");
        }
        activation("act_fn", actFn);
        if (timeEmbeddingActFn != null) {
            activation("time_embedding_act_fn", timeEmbeddingActFn);
        }
        if (timestepPostAct != null) {
            activation("timestep_post_act", timestepPostAct);
        }
        if (timeEmbeddingDim != null) {
            positive("time_embedding_dim", timeEmbeddingDim);
        }
        if (additionEmbedType != null) {
            if (!TEXT_TIME.equals(additionEmbedType)) {
                throw new UnsupportedConfigException("addition_embed_type", additionEmbedType, "only \"text_time\" (SDXL) is implemented");
            }
            if (additionTimeEmbedDim == null || projectionClassEmbeddingsInputDim == null) {
                throw new IllegalArgumentException("addition_embed_type=\"text_time\" needs addition_time_embed_dim and "
                        + "projection_class_embeddings_input_dim, got " + additionTimeEmbedDim + " and "
                        + projectionClassEmbeddingsInputDim);
            }
            positive("addition_time_embed_dim", additionTimeEmbedDim);
            positive("projection_class_embeddings_input_dim", projectionClassEmbeddingsInputDim);
        }
    }

    private static void positive(String key, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + v);
        }
    }

    private static void activation(String key, String name) {
        try {
            Activation.fromName(key, name);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedConfigException(key, name, "unknown activation");
        }
    }

    /** Number of down (and up) blocks. */
    public int numBlocks() {
        return downBlockTypes.size();
    }

    /** {@code time_embedding_dim or block_out_channels[0] * 4}. */
    public int timeEmbedDim() {
        return timeEmbeddingDim != null ? timeEmbeddingDim : blockOutChannels.get(0) * 4;
    }

    /** Heads of down block {@code i}: diffusers' {@code num_attention_heads or attention_head_dim}. */
    public int numAttentionHeads(int i) {
        return attentionHeadDim.get(i);
    }

    /** {@code act_fn} as an activation. */
    public Activation activation() {
        return Activation.fromName("act_fn", actFn);
    }

    /** Whether SDXL-style {@code text_embeds}/{@code time_ids} conditioning is on. */
    public boolean usesTextTime() {
        return TEXT_TIME.equals(additionEmbedType);
    }
}
