package dev.alignloop.diffusion.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.nn.Dropout;
import dev.alignloop.diffusion.nn.F;
import dev.alignloop.diffusion.nn.GroupNorm;
import dev.alignloop.diffusion.nn.Linear;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.nn.ModuleList;

/**
 * diffusers {@code Attention} with {@code AttnProcessor2_0}, in the two forms the UNet and the VAE
 * build:
 * <ul>
 *   <li>{@link #Attention(NDManager, int, Integer, int, int, float)} ({@code BasicTransformerBlock}):
 *       bias-free {@code to_q/to_k/to_v}, no norm, no residual, over tokens [B, L, query_dim];</li>
 *   <li>{@link #spatialSelfAttention} (the VAE mid block, {@code _from_deprecated_attn_block=True}):
 *       {@code group_norm}, biased projections, one head of the full channel width and
 *       {@code residual_connection=True}, over a feature map [B, C, H, W].</li>
 * </ul>
 * Both have {@code to_out.0} (with bias) and {@code to_out.1} (dropout, no weights);
 * {@code rescale_output_factor} is always 1.
 */
public final class Attention extends Module {
    private final int heads;
    private final int dimHead;
    private final GroupNorm groupNorm; // (query_dim) or null
    private final Linear toQ; // (heads * dim_head, query_dim)
    private final Linear toK; // (heads * dim_head, cross_attention_dim or query_dim)
    private final Linear toV; // (heads * dim_head, cross_attention_dim or query_dim)
    private final Linear toOut; // to_out.0: (query_dim, heads * dim_head)
    private final Dropout outDropout; // to_out.1

    /** {@code crossAttentionDim} null means self-attention (keys from the query input). */
    public Attention(NDManager m, int queryDim, Integer crossAttentionDim, int heads, int dimHead, float dropout) {
        this(m, queryDim, crossAttentionDim, heads, dimHead, dropout, false, null, 0f);
    }

    private Attention(NDManager m, int queryDim, Integer crossAttentionDim, int heads, int dimHead, float dropout,
                      boolean bias, Integer normNumGroups, float eps) {
        this.heads = heads;
        this.dimHead = dimHead;
        int inner = heads * dimHead;
        int kvDim = crossAttentionDim == null ? queryDim : crossAttentionDim;
        this.groupNorm = normNumGroups == null ? null
                : register("group_norm", new GroupNorm(m, normNumGroups, queryDim, eps, true));
        this.toQ = register("to_q", new Linear(m, queryDim, inner, bias));
        this.toK = register("to_k", new Linear(m, kvDim, inner, bias));
        this.toV = register("to_v", new Linear(m, kvDim, inner, bias));
        ModuleList<Module> toOutList = register("to_out", new ModuleList<>());
        this.toOut = toOutList.add(new Linear(m, inner, queryDim, true));
        this.outDropout = toOutList.add(new Dropout(dropout));
    }

    /**
     * The VAE's mid-block attention: {@code Attention(channels, heads=1, dim_head=channels,
     * norm_num_groups=groups, eps=eps, residual_connection=True, bias=True)}.
     */
    public static Attention spatialSelfAttention(NDManager m, int channels, int groups, float eps) {
        return new Attention(m, channels, null, 1, channels, 0f, true, groups, eps);
    }

    /**
     * Self-attention over the H*W positions of x [B, C, H, W] → [B, C, H, W] (the processor's
     * {@code input_ndim == 4} path), for an attention built by {@link #spatialSelfAttention}.
     */
    public NDArray forward(NDArray x) {
        if (groupNorm == null) {
            throw new UnsupportedOperationException("not a spatial attention: use forward(x, context) on [B, L, D]");
        }
        long b = x.getShape().get(0);
        long c = x.getShape().get(1);
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        NDArray tokens; // [B, HW, C]
        // hidden_states = group_norm(hidden_states.view(B, C, H*W).transpose(1, 2).transpose(1, 2)).transpose(1, 2)
        try (NDArray n = groupNorm.forward(x); NDArray flat = n.reshape(b, c, h * w)) {
            tokens = flat.transpose(0, 2, 1);
        }
        NDArray attn;
        try (tokens) {
            attn = attend(tokens, null);
        }
        // hidden_states.transpose(-1, -2).reshape(B, C, H, W) + residual (residual_connection=True)
        try (attn; NDArray t = attn.transpose(0, 2, 1); NDArray back = t.reshape(b, c, h, w)) {
            return back.add(x);
        }
    }

    /**
     * x [B, L, query_dim], context [B, S, kv_dim] or null (self-attention) → [B, L, query_dim],
     * for an attention built by the public constructor.
     */
    public NDArray forward(NDArray x, NDArray context) {
        if (groupNorm != null) {
            throw new UnsupportedOperationException("a spatial attention: use forward(x) on [B, C, H, W]");
        }
        return attend(x, context);
    }

    /** Projections, multi-head attention, {@code to_out}: x [B, L, query_dim] → [B, L, query_dim]. */
    private NDArray attend(NDArray x, NDArray context) {
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
