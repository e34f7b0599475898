package dev.alignloop.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.blocks.Attention;
import dev.alignloop.diffusion.nn.LayerNorm;
import dev.alignloop.diffusion.nn.Module;

/**
 * diffusers {@code BasicTransformerBlock} with {@code norm_type="layer_norm"}, GEGLU feed-forward,
 * no attention bias: self-attention, cross-attention, feed-forward, each pre-normed and residual.
 */
public final class BasicTransformerBlock extends Module {
    private final LayerNorm norm1;
    private final Attention attn1;
    private final LayerNorm norm2;
    private final Attention attn2;
    private final LayerNorm norm3;
    private final FeedForward ff;

    /** A block of width {@code dim} attending to a {@code crossAttentionDim}-wide context. */
    public BasicTransformerBlock(NDManager m, int dim, int heads, int dimHead, int crossAttentionDim, float dropout) {
        this.norm1 = register("norm1", new LayerNorm(m, dim, 1e-5f, true));
        this.attn1 = register("attn1", new Attention(m, dim, null, heads, dimHead, dropout));
        this.norm2 = register("norm2", new LayerNorm(m, dim, 1e-5f, true));
        this.attn2 = register("attn2", new Attention(m, dim, crossAttentionDim, heads, dimHead, dropout));
        this.norm3 = register("norm3", new LayerNorm(m, dim, 1e-5f, true));
        this.ff = register("ff", new FeedForward(m, dim, dropout));
    }

    /** x [B, L, dim], context [B, S, cross_attention_dim] → [B, L, dim]. */
    public NDArray forward(NDArray x, NDArray context) {
        NDArray h;
        // hidden_states = attn1(norm1(hidden_states)) + hidden_states
        try (NDArray n = norm1.forward(x); NDArray a = attn1.forward(n, null)) {
            h = a.add(x);
        }
        // hidden_states = attn2(norm2(hidden_states), encoder_hidden_states) + hidden_states
        try (NDArray prev = h; NDArray n = norm2.forward(prev); NDArray a = attn2.forward(n, context)) {
            h = a.add(prev);
        }
        // hidden_states = ff(norm3(hidden_states)) + hidden_states
        try (NDArray prev = h; NDArray n = norm3.forward(prev); NDArray f = ff.forward(n)) {
            return f.add(prev);
        }
    }
}
