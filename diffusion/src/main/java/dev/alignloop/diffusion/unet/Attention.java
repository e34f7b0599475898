package dev.alignloop.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.nn.Dropout;
import dev.alignloop.diffusion.nn.F;
import dev.alignloop.diffusion.nn.Linear;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.nn.ModuleList;

/**
 * diffusers {@code Attention} with {@code AttnProcessor2_0} as used by
 * {@code BasicTransformerBlock}: bias-free {@code to_q/to_k/to_v}, {@code to_out.0} with bias,
 * {@code to_out.1} dropout; no residual, no rescale, no norms.
 */
public final class Attention extends Module {
    private final int heads;
    private final int dimHead;
    private final Linear toQ; // (heads * dim_head, query_dim)
    private final Linear toK; // (heads * dim_head, cross_attention_dim or query_dim)
    private final Linear toV; // (heads * dim_head, cross_attention_dim or query_dim)
    private final Linear toOut; // to_out.0: (query_dim, heads * dim_head)
    private final Dropout outDropout; // to_out.1

    /** {@code crossAttentionDim} null means self-attention (keys from the query input). */
    public Attention(NDManager m, int queryDim, Integer crossAttentionDim, int heads, int dimHead, float dropout) {
        this.heads = heads;
        this.dimHead = dimHead;
        int inner = heads * dimHead;
        int kvDim = crossAttentionDim == null ? queryDim : crossAttentionDim;
        this.toQ = register("to_q", new Linear(m, queryDim, inner, false));
        this.toK = register("to_k", new Linear(m, kvDim, inner, false));
        this.toV = register("to_v", new Linear(m, kvDim, inner, false));
        ModuleList<Module> toOutList = register("to_out", new ModuleList<>());
        this.toOut = toOutList.add(new Linear(m, inner, queryDim, true));
        this.outDropout = toOutList.add(new Dropout(dropout));
    }

    /**
     * x [B, L, query_dim], context [B, S, kv_dim] or null (self-attention) → [B, L, query_dim].
     */
    public NDArray forward(NDArray x, NDArray context) {
        long b = x.getShape().get(0);
        NDArray kv = context == null ? x : context;
        NDArray attn;
        // query.view(batch_size, -1, attn.heads, head_dim).transpose(1, 2), same for key and value
        try (NDArray q = toQ.forward(x); NDArray qh = splitHeads(q, b);
             NDArray k = toK.forward(kv); NDArray kh = splitHeads(k, b);
             NDArray v = toV.forward(kv); NDArray vh = splitHeads(v, b)) {
            attn = F.scaledDotProductAttention(qh, kh, vh, null); // [B, heads, L, dim_head]
        }
        NDArray merged;
        // hidden_states.transpose(1, 2).reshape(batch_size, -1, attn.heads * head_dim)
        try (attn; NDArray t = attn.transpose(0, 2, 1, 3)) {
            merged = t.reshape(b, -1, (long) heads * dimHead);
        }
        try (merged; NDArray o = toOut.forward(merged)) {
            return outDropout.forward(o);
        }
    }

    private NDArray splitHeads(NDArray t, long b) {
        try (NDArray r = t.reshape(b, -1, heads, dimHead)) {
            return r.transpose(0, 2, 1, 3);
        }
    }
}
