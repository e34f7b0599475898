package dev.alignloop.diffusion.clip;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alignloop.diffusion.nn.Activation;
import dev.alignloop.diffusion.pretrained.ConfigException;
import dev.alignloop.diffusion.pretrained.ConfigJson;
import java.nio.file.Path;
import java.util.List;

/**
 * transformers' {@code CLIPTextConfig}, one field per {@code config.json} key, with transformers'
 * defaults (the OpenAI ViT-L/14 text tower of SD 1.x differs only in sizes). Unknown keys are
 * ignored; values that cannot work are rejected naming the key.
 *
 * <p>{@code architectures} decides the model: {@code CLIPTextModel} (SD 1.x, SDXL's first encoder)
 * or {@code CLIPTextModelWithProjection} (SDXL's second encoder, adds {@code text_projection}).
 * The dropout keys are kept for round trips; the encoder always runs in eval mode, as in every
 * diffusers pipeline, so they have no effect.
 *
 * @param vocabSize {@code vocab_size}
 * @param hiddenSize {@code hidden_size}
 * @param intermediateSize {@code intermediate_size} (MLP width)
 * @param projectionDim {@code projection_dim} (output of {@code text_projection})
 * @param numHiddenLayers {@code num_hidden_layers}
 * @param numAttentionHeads {@code num_attention_heads}
 * @param maxPositionEmbeddings {@code max_position_embeddings} (longest input)
 * @param hiddenAct {@code hidden_act}: {@code quick_gelu} (OpenAI CLIP) or {@code gelu} (OpenCLIP)
 * @param layerNormEps {@code layer_norm_eps}
 * @param attentionDropout {@code attention_dropout} (unused: eval mode)
 * @param dropout {@code dropout} (unused: eval mode)
 * @param initializerRange {@code initializer_range} (kept for round trips)
 * @param initializerFactor {@code initializer_factor} (kept for round trips)
 * @param padTokenId {@code pad_token_id}
 * @param bosTokenId {@code bos_token_id}
 * @param eosTokenId {@code eos_token_id}; 2 selects transformers' legacy pooling (see {@link ClipTextModel})
 * @param architectures {@code architectures}: exactly one supported class name
 * @param modelType {@code model_type}: {@code clip_text_model} (null accepted when reading)
 */
public record ClipTextConfig(
        @JsonProperty("vocab_size") Integer vocabSize,
        @JsonProperty("hidden_size") Integer hiddenSize,
        @JsonProperty("intermediate_size") Integer intermediateSize,
        @JsonProperty("projection_dim") Integer projectionDim,
        @JsonProperty("num_hidden_layers") Integer numHiddenLayers,
        @JsonProperty("num_attention_heads") Integer numAttentionHeads,
        @JsonProperty("max_position_embeddings") Integer maxPositionEmbeddings,
        @JsonProperty("hidden_act") String hiddenAct,
        @JsonProperty("layer_norm_eps") Double layerNormEps,
        @JsonProperty("attention_dropout") Double attentionDropout,
        @JsonProperty("dropout") Double dropout,
        @JsonProperty("initializer_range") Double initializerRange,
        @JsonProperty("initializer_factor") Double initializerFactor,
        @JsonProperty("pad_token_id") Integer padTokenId,
        @JsonProperty("bos_token_id") Integer bosTokenId,
        @JsonProperty("eos_token_id") Integer eosTokenId,
        @JsonProperty("architectures") List<String> architectures,
        @JsonProperty("model_type") String modelType) {

    /** {@code architectures} value of the plain text model. */
    public static final String CLIP_TEXT_MODEL = "CLIPTextModel";
    /** {@code architectures} value of the model with {@code text_projection}. */
    public static final String CLIP_TEXT_MODEL_WITH_PROJECTION = "CLIPTextModelWithProjection";
    /** The only accepted {@code model_type}. */
    public static final String MODEL_TYPE = "clip_text_model";

    /** Fills transformers' defaults for absent keys and validates. */
    public ClipTextConfig {
        vocabSize = positive("vocab_size", vocabSize, 49408);
        hiddenSize = positive("hidden_size", hiddenSize, 512);
        intermediateSize = positive("intermediate_size", intermediateSize, 2048);
        projectionDim = positive("projection_dim", projectionDim, 512);
        numHiddenLayers = positive("num_hidden_layers", numHiddenLayers, 12);
        numAttentionHeads = positive("num_attention_heads", numAttentionHeads, 8);
        maxPositionEmbeddings = positive("max_position_embeddings", maxPositionEmbeddings, 77);
        hiddenAct = hiddenAct == null ? "quick_gelu" : hiddenAct;
        layerNormEps = layerNormEps == null ? 1e-5 : layerNormEps;
        attentionDropout = attentionDropout == null ? 0.0 : attentionDropout;
        dropout = dropout == null ? 0.0 : dropout;
        initializerRange = initializerRange == null ? 0.02 : initializerRange;
        initializerFactor = initializerFactor == null ? 1.0 : initializerFactor;
        padTokenId = padTokenId == null ? 1 : padTokenId;
        bosTokenId = bosTokenId == null ? 49406 : bosTokenId;
        eosTokenId = eosTokenId == null ? 49407 : eosTokenId;
        architectures = architectures == null ? List.of(CLIP_TEXT_MODEL) : List.copyOf(architectures);
        modelType = modelType == null ? MODEL_TYPE : modelType;

        if (hiddenSize % numAttentionHeads != 0) {
            throw new ConfigException("hidden_size " + hiddenSize + " is not divisible by num_attention_heads "
                    + numAttentionHeads);
        }
        if (!(layerNormEps > 0)) {
            throw new ConfigException("layer_norm_eps must be > 0, got " + layerNormEps);
        }
        try {
            Activation.fromName("hidden_act", hiddenAct);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage() + " (CLIP uses quick_gelu or gelu)");
        }
        if (architectures.size() != 1 || !(architectures.get(0).equals(CLIP_TEXT_MODEL)
                || architectures.get(0).equals(CLIP_TEXT_MODEL_WITH_PROJECTION))) {
            throw new ConfigException("architectures " + architectures + " unsupported: expected [\""
                    + CLIP_TEXT_MODEL + "\"] or [\"" + CLIP_TEXT_MODEL_WITH_PROJECTION + "\"]");
        }
        if (!modelType.equals(MODEL_TYPE)) {
            throw new ConfigException("model_type '" + modelType + "' unsupported: expected '" + MODEL_TYPE + "'"
                    + (modelType.equals("clip") ? " (this is a full CLIPModel config; use its text tower's folder)" : ""));
        }
    }

    private static Integer positive(String key, Integer value, int dflt) {
        int v = value == null ? dflt : value;
        if (v <= 0) {
            throw new ConfigException(key + " must be > 0, got " + v);
        }
        return v;
    }

    /**
     * A config with the given sizes and transformers' defaults for everything else.
     *
     * @param withProjection {@code CLIPTextModelWithProjection} when true
     */
    public static ClipTextConfig of(int vocabSize, int hiddenSize, int intermediateSize, int numHiddenLayers,
            int numAttentionHeads, int maxPositionEmbeddings, String hiddenAct, int projectionDim, boolean withProjection) {
        return new ClipTextConfig(vocabSize, hiddenSize, intermediateSize, projectionDim, numHiddenLayers,
                numAttentionHeads, maxPositionEmbeddings, hiddenAct, null, null, null, null, null, null,
                vocabSize - 2, vocabSize - 1,
                List.of(withProjection ? CLIP_TEXT_MODEL_WITH_PROJECTION : CLIP_TEXT_MODEL), null);
    }

    /** Reads {@code config.json}; errors name the file and key. */
    public static ClipTextConfig read(Path file) {
        return ConfigJson.read(file, ClipTextConfig.class);
    }

    /** Writes {@code config.json} as transformers' {@code save_pretrained} formats it (plus {@code torch_dtype}). */
    public void write(Path file) {
        ObjectNode node = ConfigJson.toTree(this);
        node.put("torch_dtype", "float32");
        ConfigJson.write(file, node);
    }

    /** Whether the model has {@code text_projection}. */
    @JsonIgnore
    public boolean hasProjection() {
        return architectures.get(0).equals(CLIP_TEXT_MODEL_WITH_PROJECTION);
    }

    /** The {@code hidden_act} activation. */
    @JsonIgnore
    public Activation activation() {
        return Activation.fromName("hidden_act", hiddenAct);
    }

    /** {@code hidden_size / num_attention_heads}. */
    @JsonIgnore
    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }
}
