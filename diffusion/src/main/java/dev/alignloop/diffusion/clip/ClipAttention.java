package dev.alignloop.diffusion.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.nn.F;
import dev.alignloop.diffusion.nn.Linear;
import dev.alignloop.diffusion.nn.Module;

/** transformers' {@code CLIPAttention}: multi-head self-attention with {@code k/v/q/out_proj}. */
final class ClipAttention extends Module {
    private final int heads;
    private final int headDim;
    private final Linear kProj;   // (D, D)
    private final Linear vProj;   // (D, D)
    private final Linear qProj;   // (D, D)
    private final Linear outProj; // (D, D)

    ClipAttention(NDManager manager, ClipTextConfig config) {
        int d = config.hiddenSize();
        this.heads = config.numAttentionHeads();
        this.headDim = config.headDim();
        this.kProj = register("k_proj", new Linear(manager, d, d));
        this.vProj = register("v_proj", new Linear(manager, d, d));
        this.qProj = register("q_proj", new Linear(manager, d, d));
        this.outProj = register("out_proj", new Linear(manager, d, d));
    }

    /**
     * x [B, L, D], mask additive [B or 1, 1, L, L] (causal plus optional padding) → [B, L, D].
     *
     * <p>transformers: {@code attn_weights = softmax((q * scale) @ k^T + mask)}, {@code out = attn_weights @ v},
     * which is {@code scaled_dot_product_attention} with the same float mask.
     */
    NDArray forward(NDArray x, NDArray mask) {
        long b = x.getShape().get(0);
        long l = x.getShape().get(1);
        NDArray attn;
        try (NDArray q = heads(qProj.forward(x), b, l); NDArray k = heads(kProj.forward(x), b, l);
             NDArray v = heads(vProj.forward(x), b, l)) {
            attn = F.scaledDotProductAttention(q, k, v, mask); // [B, H, L, Dh]
        }
        NDArray merged;
        try (NDArray t = attn.transpose(0, 2, 1, 3)) {
            attn.close();
            merged = t.reshape(b, l, (long) heads * headDim);
        }
        try (merged) {
            return outProj.forward(merged);
        }
    }

    /** [B, L, H*Dh] → [B, H, L, Dh] (closes its argument). */
    private NDArray heads(NDArray y, long b, long l) {
        try (y; NDArray r = y.reshape(b, l, heads, headDim)) {
            return r.transpose(0, 2, 1, 3);
        }
    }
}
