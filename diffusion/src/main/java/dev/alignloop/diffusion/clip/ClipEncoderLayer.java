package dev.alignloop.diffusion.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.nn.LayerNorm;
import dev.alignloop.diffusion.nn.Module;

/** transformers' {@code CLIPEncoderLayer}: pre-norm self-attention and MLP with residuals. */
final class ClipEncoderLayer extends Module {
    private final ClipAttention selfAttn;
    private final LayerNorm layerNorm1; // (D)
    private final ClipMlp mlp;
    private final LayerNorm layerNorm2; // (D)

    ClipEncoderLayer(NDManager manager, ClipTextConfig config) {
        float eps = config.layerNormEps().floatValue();
        this.selfAttn = register("self_attn", new ClipAttention(manager, config));
        this.layerNorm1 = register("layer_norm1", new LayerNorm(manager, config.hiddenSize(), eps, true));
        this.mlp = register("mlp", new ClipMlp(manager, config));
        this.layerNorm2 = register("layer_norm2", new LayerNorm(manager, config.hiddenSize(), eps, true));
    }

    /** x [B, L, D], additive mask [B or 1, 1, L, L] → [B, L, D]. */
    NDArray forward(NDArray x, NDArray mask) {
        NDArray h;
        // hidden_states = residual + self_attn(layer_norm1(hidden_states))
        try (NDArray n1 = layerNorm1.forward(x); NDArray a = selfAttn.forward(n1, mask)) {
            h = x.add(a);
        }
        // hidden_states = residual + mlp(layer_norm2(hidden_states))
        try (h; NDArray n2 = layerNorm2.forward(h); NDArray m = mlp.forward(n2)) {
            return h.add(m);
        }
    }
}
