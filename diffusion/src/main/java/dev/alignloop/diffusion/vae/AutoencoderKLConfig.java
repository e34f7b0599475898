package dev.alignloop.diffusion.vae;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.alignloop.diffusion.nn.Activation;
import dev.alignloop.diffusion.pretrained.ConfigException;
import dev.alignloop.diffusion.pretrained.ConfigJson;
import java.nio.file.Path;
import java.util.List;

/**
 * diffusers' {@code AutoencoderKL} config ({@code vae/config.json}), one field per key, with the
 * defaults of diffusers 0.25.0. Unknown keys are ignored; conflicting values are rejected naming
 * the keys.
 *
 * <p>Four keys of later diffusers versions are understood when present and written back only
 * when present: {@code use_quant_conv}, {@code use_post_quant_conv}, {@code mid_block_add_attention}
 * (all default true) and {@code shift_factor} (default none, i.e. 0). {@code force_upcast} only
 * matters for float16 weights; AutoencoderKL here always computes in float32.
 *
 * @param inChannels {@code in_channels} (image channels)
 * @param outChannels {@code out_channels}
 * @param downBlockTypes {@code down_block_types}: all {@code DownEncoderBlock2D}, one per level
 * @param upBlockTypes {@code up_block_types}: all {@code UpDecoderBlock2D}, one per level
 * @param blockOutChannels {@code block_out_channels}: channels per level, each divisible by {@code norm_num_groups}
 * @param layersPerBlock {@code layers_per_block} (resnets per encoder level; the decoder has one more)
 * @param actFn {@code act_fn} of the resnets
 * @param latentChannels {@code latent_channels}
 * @param normNumGroups {@code norm_num_groups}
 * @param sampleSize {@code sample_size} (nominal image size; informational)
 * @param scalingFactor {@code scaling_factor}: latents fed to the UNet are {@code (mean - shift) * scaling_factor}
 * @param forceUpcast {@code force_upcast} (kept for round trips)
 * @param shiftFactor {@code shift_factor}, or null when absent
 * @param useQuantConv {@code use_quant_conv}, or null when absent (true)
 * @param usePostQuantConv {@code use_post_quant_conv}, or null when absent (true)
 * @param midBlockAddAttention {@code mid_block_add_attention}, or null when absent (true)
 */
public record AutoencoderKLConfig(
        @JsonProperty("in_channels") Integer inChannels,
        @JsonProperty("out_channels") Integer outChannels,
        @JsonProperty("down_block_types") List<String> downBlockTypes,
        @JsonProperty("up_block_types") List<String> upBlockTypes,
        @JsonProperty("block_out_channels") List<Integer> blockOutChannels,
        @JsonProperty("layers_per_block") Integer layersPerBlock,
        @JsonProperty("act_fn") String actFn,
        @JsonProperty("latent_channels") Integer latentChannels,
        @JsonProperty("norm_num_groups") Integer normNumGroups,
        @JsonProperty("sample_size") Integer sampleSize,
        @JsonProperty("scaling_factor") Double scalingFactor,
        @JsonProperty("force_upcast") Boolean forceUpcast,
        @JsonProperty("shift_factor") @JsonInclude(JsonInclude.Include.NON_NULL) Double shiftFactor,
        @JsonProperty("use_quant_conv") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean useQuantConv,
        @JsonProperty("use_post_quant_conv") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean usePostQuantConv,
        @JsonProperty("mid_block_add_attention") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean midBlockAddAttention) {

    /** diffusers' {@code _class_name}. */
    public static final String CLASS_NAME = "AutoencoderKL";
    static final String DOWN_BLOCK = "DownEncoderBlock2D";
    static final String UP_BLOCK = "UpDecoderBlock2D";

    /** Fills diffusers 0.25.0 defaults for absent keys and validates. */
    public AutoencoderKLConfig {
        inChannels = positive("in_channels", inChannels, 3);
        outChannels = positive("out_channels", outChannels, 3);
        blockOutChannels = blockOutChannels == null ? List.of(64) : List.copyOf(blockOutChannels);
        downBlockTypes = downBlockTypes == null ? List.of(DOWN_BLOCK) : List.copyOf(downBlockTypes);
        upBlockTypes = upBlockTypes == null ? List.of(UP_BLOCK) : List.copyOf(upBlockTypes);
        layersPerBlock = positive("layers_per_block", layersPerBlock, 1);
        actFn = actFn == null ? "silu" : actFn;
        latentChannels = positive("latent_channels", latentChannels, 4);
        normNumGroups = positive("norm_num_groups", normNumGroups, 32);
        sampleSize = positive("sample_size", sampleSize, 32);
        scalingFactor = scalingFactor == null ? 0.18215 : scalingFactor;
        forceUpcast = forceUpcast == null ? Boolean.TRUE : forceUpcast;

        if (blockOutChannels.isEmpty()) {
            throw new ConfigException("block_out_channels must not be empty");
        }
        for (int c : blockOutChannels) {
            if (c <= 0 || c % normNumGroups != 0) {
                throw new ConfigException("block_out_channels " + blockOutChannels + ": " + c
                        + " is not a positive multiple of norm_num_groups " + normNumGroups);
            }
        }
        checkTypes("down_block_types", downBlockTypes, DOWN_BLOCK, blockOutChannels.size());
        checkTypes("up_block_types", upBlockTypes, UP_BLOCK, blockOutChannels.size());
        if (!(scalingFactor > 0)) {
            throw new ConfigException("scaling_factor must be > 0, got " + scalingFactor);
        }
        try {
            Activation.fromName("act_fn", actFn);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static Integer positive(String key, Integer value, int dflt) {
        int v = value == null ? dflt : value;
        if (v <= 0) {
            throw new ConfigException(key + " must be > 0, got " + v);
        }
        return v;
    }

    private static void checkTypes(String key, List<String> types, String expected, int levels) {
        if (types.size() != levels) {
            throw new ConfigException(key + " has " + types.size() + " entries but block_out_channels has " + levels
                    + ": they must match");
        }
        for (String t : types) {
            if (!expected.equals(t)) {
                throw new ConfigException(key + ": unsupported block type '" + t + "' (AutoencoderKL supports "
                        + expected + " only)");
            }
        }
    }

    /** A config with the given sizes and diffusers' defaults for everything else. */
    public static AutoencoderKLConfig of(int inChannels, List<Integer> blockOutChannels, int layersPerBlock,
            int latentChannels, int normNumGroups, int sampleSize) {
        int n = blockOutChannels.size();
        return new AutoencoderKLConfig(inChannels, inChannels, java.util.Collections.nCopies(n, DOWN_BLOCK),
                java.util.Collections.nCopies(n, UP_BLOCK), blockOutChannels, layersPerBlock, null, latentChannels,
                normNumGroups, sampleSize, null, null, null, null, null, null);
    }

    /** Reads {@code config.json}; a {@code _class_name} other than AutoencoderKL is rejected. */
    public static AutoencoderKLConfig read(Path file) {
        var node = ConfigJson.read(file);
        var cls = node.get("_class_name");
        if (cls != null && !CLASS_NAME.equals(cls.asText())) {
            throw new ConfigException(file + ": _class_name is '" + cls.asText() + "', expected '" + CLASS_NAME + "'");
        }
        return ConfigJson.convert(node, AutoencoderKLConfig.class, file.toString());
    }

    /** Writes {@code config.json} as diffusers' {@code save_config} does. */
    public void write(Path file) {
        ConfigJson.writeDiffusers(file, CLASS_NAME, this);
    }

    /** The resnets' activation. */
    @JsonIgnore
    public Activation activation() {
        return Activation.fromName("act_fn", actFn);
    }

    /** The spatial downsampling factor, {@code 2^(levels - 1)}. */
    @JsonIgnore
    public int downsampleFactor() {
        return 1 << (blockOutChannels.size() - 1);
    }

    /** {@code shift_factor}, 0 when absent. */
    @JsonIgnore
    public double shift() {
        return shiftFactor == null ? 0 : shiftFactor;
    }

    /** Whether {@code quant_conv} exists. */
    @JsonIgnore
    public boolean hasQuantConv() {
        return useQuantConv == null || useQuantConv;
    }

    /** Whether {@code post_quant_conv} exists. */
    @JsonIgnore
    public boolean hasPostQuantConv() {
        return usePostQuantConv == null || usePostQuantConv;
    }

    /** Whether the mid blocks have their attention layer. */
    @JsonIgnore
    public boolean hasMidAttention() {
        return midBlockAddAttention == null || midBlockAddAttention;
    }
}
