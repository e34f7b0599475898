package dev.alignloop.diffusion.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.nn.Linear;
import dev.alignloop.diffusion.nn.ModelLoadException;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.pretrained.ComponentLayout;
import dev.alignloop.diffusion.pretrained.ModelFiles;
import java.nio.file.Path;
import java.util.Map;

/**
 * transformers' {@code CLIPTextModel} and {@code CLIPTextModelWithProjection} (the config's
 * {@code architectures} decides), loaded from and saved to a {@code text_encoder/} folder
 * ({@code config.json} + {@code model.safetensors}) with transformers' parameter names:
 * {@code text_model.embeddings.token_embedding.weight}, ...,
 * {@code text_model.encoder.layers.N.self_attn.q_proj.weight}, ..., {@code text_model.final_layer_norm.*}
 * and, with projection, {@code text_projection.weight} (no bias).
 *
 * <p>The forward pass always runs as in eval mode (no dropout). Attention is causal; an optional
 * padding mask is supported, but diffusers' SD pipelines never pass one (they pad to
 * {@code max_length} and let the causal mask do the work), so the default is none.
 *
 * <p>Pooling follows transformers (&ge; 4.31) exactly: when {@code eos_token_id == 2} (configs
 * written before that field was fixed, e.g. SD 1.x), the pooled token is at
 * {@code input_ids.argmax(-1)} (the EOT id is the largest in CLIP's vocabulary); otherwise at the
 * first position where {@code input_ids == eos_token_id} (position 0 if there is none).
 */
public final class ClipTextModel extends Module {
    /** Weights file name in the folder. */
    public static final String WEIGHTS = "model.safetensors";
    /** Config file name in the folder. */
    public static final String CONFIG = "config.json";
    /** A buffer some exports include; it is always {@code arange(max_position_embeddings)}: ignored. */
    static final String POSITION_IDS = "text_model.embeddings.position_ids";

    private final ClipTextConfig config;
    private final ClipTextTransformer textModel;
    private final Linear textProjection; // (projection_dim, D) or null

    /** A model with zero/one-filled parameters in {@code manager} (use {@link #random} or load). */
    public ClipTextModel(ClipTextConfig config, NDManager manager) {
        this.config = config;
        this.textModel = register("text_model", new ClipTextTransformer(manager, config));
        this.textProjection = config.hasProjection()
                ? register("text_projection", new Linear(manager, config.hiddenSize(), config.projectionDim(), false))
                : null;
        eval();
    }

    /** A model initialised deterministically from {@code seed} (for tests and tiny worlds). */
    public static ClipTextModel random(ClipTextConfig config, long seed, NDManager manager) {
        ClipTextModel m = new ClipTextModel(config, manager);
        m.initialize(seed);
        return m;
    }

    /**
     * Loads {@code dir/config.json} and {@code dir/model.safetensors} (strictly: every weight
     * must be present and no other, except the {@code position_ids} buffer).
     *
     * @throws dev.alignloop.diffusion.pretrained.DiffusersFolderException if files are missing
     * @throws dev.alignloop.diffusion.pretrained.ConfigException if the config is invalid
     * @throws ModelLoadException naming missing, unexpected or mis-shaped tensors
     */
    public static ClipTextModel fromPretrained(Path dir, NDManager manager) {
        ComponentLayout.TRANSFORMERS_MODEL.requireValid(dir);
        ClipTextConfig config = ClipTextConfig.read(dir.resolve(CONFIG));
        ClipTextModel model = new ClipTextModel(config, manager);
        ModelFiles.loadStrict(model, dir.resolve(WEIGHTS), manager, state -> {
            state.remove(POSITION_IDS);
            return state;
        });
        return model;
    }

    /** Writes {@code dir/config.json} and {@code dir/model.safetensors} (names sorted, {@code format: pt}). */
    public void save(Path dir) {
        ModelFiles.save(this, dir, CONFIG, config::write, WEIGHTS);
    }

    /** The configuration. */
    public ClipTextConfig config() {
        return config;
    }

    /** {@link #forward(NDArray, NDArray)} without a padding mask (what SD pipelines do). */
    public ClipTextOutput forward(NDArray inputIds) {
        return forward(inputIds, null);
    }

    /**
     * inputIds [B, L] integer (L &le; max_position_embeddings), attentionMask [B, L] (1 = token,
     * 0 = padding) or null → outputs in the manager of {@code inputIds}.
     */
    public ClipTextOutput forward(NDArray inputIds, NDArray attentionMask) {
        Shape s = inputIds.getShape();
        if (s.dimension() != 2 || s.get(1) > config.maxPositionEmbeddings() || s.get(1) < 1) {
            throw new IllegalArgumentException("input_ids must be [B, L] with 1 <= L <= max_position_embeddings "
                    + config.maxPositionEmbeddings() + ", got " + s);
        }
        int b = Math.toIntExact(s.get(0));
        int l = Math.toIntExact(s.get(1));
        long[] ids = longs(inputIds);
        NDManager caller = inputIds.getManager();
        try (NDManager scope = caller.newSubManager()) {
            // DJL creates CPU arrays zero-copy (torch::from_blob over a Java direct buffer that is
            // released when the array is closed), but embedding's backward keeps the indices: hand
            // autograd a torch-owned copy, or backward reads freed memory once this scope is closed.
            NDArray x;
            try (NDArray blob = scope.create(ids, new Shape(b, l))) {
                x = blob.duplicate();
            }
            NDArray mask = scope.create(ClipMasks.additive(b, l, attentionMask == null ? null
                    : floats(attentionMask, s)),
                    new Shape(attentionMask == null ? 1 : b, 1, l, l));
            ClipTextTransformer.Hidden h = textModel.forward(x, mask);
            int[] eos = ClipMasks.poolPositions(ids, b, l, config.eosTokenId());
            NDList rows = new NDList(b);
            for (int i = 0; i < b; i++) {
                rows.add(h.lastHiddenState().get(i, eos[i])); // last_hidden_state[i, eos[i]]
            }
            NDArray pooled = NDArrays.stack(rows);
            NDArray embeds = textProjection == null ? null : textProjection.forward(pooled);
            ClipTextOutput out = new ClipTextOutput(h.lastHiddenState(), pooled, h.penultimate(), embeds);
            out.lastHiddenState().attach(caller);
            out.poolerOutput().attach(caller);
            out.penultimate().attach(caller);
            if (embeds != null) {
                embeds.attach(caller);
            }
            return out;
        }
    }

    private static long[] longs(NDArray a) {
        if (a.getDataType() == DataType.INT64) {
            return a.toLongArray();
        }
        try (NDArray t = a.toType(DataType.INT64, true)) {
            return t.toLongArray();
        }
    }

    private static float[] floats(NDArray mask, Shape expected) {
        if (!mask.getShape().equals(expected)) {
            throw new IllegalArgumentException("attention_mask must have the shape of input_ids " + expected
                    + ", got " + mask.getShape());
        }
        try (NDArray t = mask.toType(DataType.FLOAT32, true)) {
            return t.toFloatArray();
        }
    }
}
