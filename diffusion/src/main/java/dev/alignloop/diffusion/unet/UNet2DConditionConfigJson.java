package dev.alignloop.diffusion.unet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.alignloop.diffusion.nn.ModelLoadException;
import dev.alignloop.diffusion.unet.UNet2DConditionConfig.DownBlockType;
import dev.alignloop.diffusion.unet.UNet2DConditionConfig.MidBlockType;
import dev.alignloop.diffusion.unet.UNet2DConditionConfig.UpBlockType;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes {@code unet/config.json} the way diffusers does: missing keys take the
 * diffusers 0.25.0 defaults (SD 1.5), unknown keys are ignored, keys this implementation does not
 * support must hold their default, and the file is written with sorted keys, indent 2 and
 * Python's number format, like {@code ConfigMixin.to_json_string}.
 */
public final class UNet2DConditionConfigJson {
    /** Written as {@code _diffusers_version}: the version whose semantics we follow. */
    public static final String DIFFUSERS_VERSION = "0.25.0";
    static final String CLASS_NAME = "UNet2DConditionModel";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Keys we do not implement, with the only value accepted (diffusers' default). */
    private static final Map<String, Object> FIXED = fixed();

    private UNet2DConditionConfigJson() {
    }

    private static Map<String, Object> fixed() {
        Map<String, Object> m = new TreeMap<>();
        m.put("attention_type", "default");
        m.put("class_embed_type", null);
        m.put("class_embeddings_concat", false);
        m.put("dual_cross_attention", false);
        m.put("encoder_hid_dim", null);
        m.put("encoder_hid_dim_type", null);
        m.put("num_attention_heads", null);
        m.put("num_class_embeds", null);
        m.put("only_cross_attention", false);
        m.put("resnet_time_scale_shift", "default");
        m.put("reverse_transformer_layers_per_block", null);
        m.put("time_cond_proj_dim", null);
        m.put("time_embedding_type", "positional");
        return m;
    }

    /** Reads {@code file}; failures name the file and the key. */
    public static UNet2DConditionConfig read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ModelLoadException(file + ": cannot read UNet config: " + e.getMessage(), e);
        }
        try {
            return parse(root);
        } catch (UnsupportedConfigException e) {
            throw new UnsupportedConfigException(file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a config.json string (missing keys take their defaults). */
    public static UNet2DConditionConfig parse(String json) {
        try {
            return parse(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("UNet config is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses a config.json tree. */
    public static UNet2DConditionConfig parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("UNet config must be a JSON object");
        }
        String cls = root.path("_class_name").asText(CLASS_NAME);
        if (!CLASS_NAME.equals(cls)) {
            throw new UnsupportedConfigException("_class_name", cls, "expected " + CLASS_NAME);
        }
        for (Map.Entry<String, Object> e : FIXED.entrySet()) {
            JsonNode v = root.get(e.getKey());
            if (v != null && !v.isNull() && !JSON.valueToTree(e.getValue()).equals(v)) {
                throw new UnsupportedConfigException(e.getKey(), v, "only " + e.getValue() + " is implemented");
            }
        }
        ConfigReader r = new ConfigReader(root);
        return new UNet2DConditionConfig(
                r.optInt("sample_size", null),
                r.integer("in_channels", 4),
                r.integer("out_channels", 4),
                r.bool("center_input_sample", false),
                r.bool("flip_sin_to_cos", true),
                r.integer("freq_shift", 0),
                r.list("down_block_types", List.of("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D",
                        "DownBlock2D"), s -> enumValue(DownBlockType.class, "down_block_types", s)),
                r.midBlock(),
                r.list("up_block_types", List.of("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D",
                        "CrossAttnUpBlock2D"), s -> enumValue(UpBlockType.class, "up_block_types", s)),
                r.intList("block_out_channels", List.of(320, 640, 1280, 1280)),
                r.perBlock("layers_per_block", 2),
                r.integer("downsample_padding", 1),
                r.number("mid_block_scale_factor", 1),
                r.number("dropout", 0.0),
                r.string("act_fn", "silu"),
                r.normGroups(),
                r.number("norm_eps", 1e-5),
                r.perBlock("cross_attention_dim", 1280),
                r.perBlock("transformer_layers_per_block", 1),
                r.perBlock("attention_head_dim", 8),
                r.bool("use_linear_projection", false),
                r.string("addition_embed_type", null),
                r.optInt("addition_time_embed_dim", null),
                r.bool("upcast_attention", false),
                r.bool("resnet_skip_time_act", false),
                r.number("resnet_out_scale_factor", 1.0),
                r.optInt("time_embedding_dim", null),
                r.string("time_embedding_act_fn", null),
                r.string("timestep_post_act", null),
                r.integer("conv_in_kernel", 3),
                r.integer("conv_out_kernel", 3),
                r.optInt("projection_class_embeddings_input_dim", null),
                r.optBool("mid_block_only_cross_attention"),
                r.string("cross_attention_norm", null),
                r.integer("addition_embed_type_num_heads", 64));
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String key, String s) {
        try {
            return Enum.valueOf(type, s);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedConfigException(key, s, "implemented: " + List.of(type.getEnumConstants()));
        }
    }

    /** The config as the JSON object diffusers would write (sorted keys, all keys present). */
    public static ObjectNode toJson(UNet2DConditionConfig c) {
        Map<String, JsonNode> m = new TreeMap<>();
        m.put("_class_name", NODES.textNode(CLASS_NAME));
        m.put("_diffusers_version", NODES.textNode(DIFFUSERS_VERSION));
        FIXED.forEach((k, v) -> m.put(k, JSON.valueToTree(v)));
        m.put("sample_size", intNode(c.sampleSize()));
        m.put("in_channels", NODES.numberNode(c.inChannels()));
        m.put("out_channels", NODES.numberNode(c.outChannels()));
        m.put("center_input_sample", NODES.booleanNode(c.centerInputSample()));
        m.put("flip_sin_to_cos", NODES.booleanNode(c.flipSinToCos()));
        m.put("freq_shift", NODES.numberNode(c.freqShift()));
        m.put("down_block_types", strings(c.downBlockTypes().stream().map(Enum::name).toList()));
        m.put("mid_block_type", c.midBlockType() == null ? NODES.nullNode() : NODES.textNode(c.midBlockType().name()));
        m.put("up_block_types", strings(c.upBlockTypes().stream().map(Enum::name).toList()));
        m.put("block_out_channels", JSON.valueToTree(c.blockOutChannels()));
        m.put("layers_per_block", JSON.valueToTree(c.layersPerBlock().toJsonValue()));
        m.put("downsample_padding", NODES.numberNode(c.downsamplePadding()));
        m.put("mid_block_scale_factor", number(c.midBlockScaleFactor(), true));
        m.put("dropout", number(c.dropout(), false));
        m.put("act_fn", NODES.textNode(c.actFn()));
        m.put("norm_num_groups", NODES.numberNode(c.normNumGroups()));
        m.put("norm_eps", number(c.normEps(), false));
        m.put("cross_attention_dim", JSON.valueToTree(c.crossAttentionDim().toJsonValue()));
        m.put("transformer_layers_per_block", JSON.valueToTree(c.transformerLayersPerBlock().toJsonValue()));
        m.put("attention_head_dim", JSON.valueToTree(c.attentionHeadDim().toJsonValue()));
        m.put("use_linear_projection", NODES.booleanNode(c.useLinearProjection()));
        m.put("addition_embed_type", textOrNull(c.additionEmbedType()));
        m.put("addition_time_embed_dim", intNode(c.additionTimeEmbedDim()));
        m.put("upcast_attention", NODES.booleanNode(c.upcastAttention()));
        m.put("resnet_skip_time_act", NODES.booleanNode(c.resnetSkipTimeAct()));
        m.put("resnet_out_scale_factor", number(c.resnetOutScaleFactor(), false));
        m.put("time_embedding_dim", intNode(c.timeEmbeddingDim()));
        m.put("time_embedding_act_fn", textOrNull(c.timeEmbeddingActFn()));
        m.put("timestep_post_act", textOrNull(c.timestepPostAct()));
        m.put("conv_in_kernel", NODES.numberNode(c.convInKernel()));
        m.put("conv_out_kernel", NODES.numberNode(c.convOutKernel()));
        m.put("projection_class_embeddings_input_dim", intNode(c.projectionClassEmbeddingsInputDim()));
        m.put("mid_block_only_cross_attention", c.midBlockOnlyCrossAttention() == null ? NODES.nullNode()
                : NODES.booleanNode(c.midBlockOnlyCrossAttention()));
        m.put("cross_attention_norm", textOrNull(c.crossAttentionNorm()));
        m.put("addition_embed_type_num_heads", NODES.numberNode(c.additionEmbedTypeNumHeads()));
        ObjectNode out = NODES.objectNode();
        m.forEach(out::set);
        return out;
    }

    /** The file text: {@code json.dumps(config, indent=2, sort_keys=True) + "\n"}. */
    public static String toJsonString(UNet2DConditionConfig c) {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return JSON.writer(pp).writeValueAsString(toJson(c)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@link #toJsonString} to {@code file}. */
    public static void write(UNet2DConditionConfig c, Path file) throws IOException {
        Files.writeString(file, toJsonString(c), StandardCharsets.UTF_8);
    }

    private static JsonNode intNode(Integer v) {
        return v == null ? NODES.nullNode() : NODES.numberNode(v);
    }

    private static JsonNode textOrNull(String v) {
        return v == null ? NODES.nullNode() : NODES.textNode(v);
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = NODES.arrayNode();
        values.forEach(a::add);
        return a;
    }

    /** Python's float repr ({@code 1e-05}, {@code 0.0}); ints stay ints where diffusers' default is an int. */
    static JsonNode number(double v, boolean intIfIntegral) {
        if (intIfIntegral && v == Math.rint(v) && Math.abs(v) < 1e15) {
            return NODES.numberNode((long) v);
        }
        return NODES.rawValueNode(new RawValue(pythonRepr(v)));
    }

    static String pythonRepr(double v) {
        if (v == 0) {
            return "0.0";
        }
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        int exp = d.precision() - d.scale() - 1; // decimal exponent of the leading digit
        if (exp >= -4 && exp < 16) {
            String s = d.toPlainString();
            return s.contains(".") ? s : s + ".0";
        }
        String digits = d.unscaledValue().abs().toString();
        String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (v < 0 ? "-" : "") + mant + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
    }
}
