package dev.alignloop.diffusion.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.nn.F;
import dev.alignloop.diffusion.nn.GroupNorm;
import dev.alignloop.diffusion.nn.Linear;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.nn.ModuleList;

/**
 * diffusers' {@code Attention} as the VAE mid block builds it ({@code _from_deprecated_attn_block=True}):
 * spatial self-attention over the H*W positions with {@code group_norm}, one head of the full
 * channel width ({@code attention_head_dim = channels}), biased {@code to_q/to_k/to_v/to_out.0},
 * and a residual connection ({@code rescale_output_factor = 1}).
 */
final class VaeAttention extends Module {
    private final GroupNorm groupNorm;   // (C)
    private final Linear toQ;            // (C, C)
    private final Linear toK;            // (C, C)
    private final Linear toV;            // (C, C)
    private final ModuleList<Linear> toOut; // 0: (C, C); diffusers' to_out.1 is Dropout (no weights)

    VaeAttention(NDManager manager, int channels, int groups) {
        this.groupNorm = register("group_norm", new GroupNorm(manager, groups, channels, ResnetBlock2D.EPS, true));
        this.toQ = register("to_q", new Linear(manager, channels, channels));
        this.toK = register("to_k", new Linear(manager, channels, channels));
        this.toV = register("to_v", new Linear(manager, channels, channels));
        this.toOut = register("to_out", new ModuleList<>());
        toOut.add(new Linear(manager, channels, channels));
    }

    /** x [B, C, H, W] → [B, C, H, W]. */
    NDArray forward(NDArray x) {
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
        // one head: [B, 1, HW, C]; F.scaled_dot_product_attention scales by 1/sqrt(C)
        try (tokens; NDArray q0 = toQ.forward(tokens); NDArray k0 = toK.forward(tokens); NDArray v0 = toV.forward(tokens);
             NDArray q = q0.expandDims(1); NDArray k = k0.expandDims(1); NDArray v = v0.expandDims(1);
             NDArray a = F.scaledDotProductAttention(q, k, v, null); NDArray a3 = a.reshape(b, h * w, c)) {
            attn = toOut.get(0).forward(a3);
        }
        // hidden_states.transpose(-1, -2).reshape(B, C, H, W) + residual
        try (attn; NDArray t = attn.transpose(0, 2, 1); NDArray back = t.reshape(b, c, h, w)) {
            return back.add(x);
        }
    }
}
