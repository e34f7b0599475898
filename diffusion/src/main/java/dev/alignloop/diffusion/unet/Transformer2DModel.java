package dev.alignloop.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.nn.Conv2d;
import dev.alignloop.diffusion.nn.GroupNorm;
import dev.alignloop.diffusion.nn.Linear;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.nn.ModuleList;

/**
 * diffusers {@code Transformer2DModel} for continuous input: GroupNorm (eps 1e-6) → proj_in (1x1
 * conv, or linear after flattening when {@code use_linear_projection}) → transformer_blocks →
 * proj_out → + residual.
 */
public final class Transformer2DModel extends Module {
    private final GroupNorm norm;
    private final boolean useLinearProjection;
    private final Conv2d projInConv;   // (inner, C, 1, 1) or null
    private final Linear projInLinear; // (inner, C) or null
    private final ModuleList<BasicTransformerBlock> blocks;
    private final Conv2d projOutConv;   // (C, inner, 1, 1) or null
    private final Linear projOutLinear; // (C, inner) or null

    /** {@code Transformer2DModel(heads, head_dim, in_channels, num_layers, cross_attention_dim, norm_num_groups, ...)}. */
    public Transformer2DModel(NDManager m, int heads, int headDim, int inChannels, int numLayers,
                              int crossAttentionDim, int normGroups, boolean useLinearProjection, float dropout) {
        int inner = heads * headDim;
        this.norm = register("norm", new GroupNorm(m, normGroups, inChannels, 1e-6f, true));
        this.useLinearProjection = useLinearProjection;
        if (useLinearProjection) {
            this.projInLinear = register("proj_in", new Linear(m, inChannels, inner));
            this.projInConv = null;
        } else {
            this.projInConv = register("proj_in", new Conv2d(m, inChannels, inner, 1, 1, 0));
            this.projInLinear = null;
        }
        this.blocks = register("transformer_blocks", new ModuleList<>());
        for (int i = 0; i < numLayers; i++) {
            blocks.add(new BasicTransformerBlock(m, inner, heads, headDim, crossAttentionDim, dropout));
        }
        if (useLinearProjection) {
            this.projOutLinear = register("proj_out", new Linear(m, inner, inChannels));
            this.projOutConv = null;
        } else {
            this.projOutConv = register("proj_out", new Conv2d(m, inner, inChannels, 1, 1, 0));
            this.projOutLinear = null;
        }
    }

    /** x [B, C, H, W], context [B, S, D] → [B, C, H, W]. */
    public NDArray forward(NDArray x, NDArray context) {
        long b = x.getShape().get(0);
        long hgt = x.getShape().get(2);
        long wid = x.getShape().get(3);
        NDArray h;
        try (NDArray n = norm.forward(x)) {
            if (!useLinearProjection) {
                // proj_in (1x1 conv), then permute(0, 2, 3, 1).reshape(batch, height * width, inner_dim)
                try (NDArray p = projInConv.forward(n); NDArray t = p.transpose(0, 2, 3, 1)) {
                    h = t.reshape(b, hgt * wid, -1);
                }
            } else {
                try (NDArray t = n.transpose(0, 2, 3, 1); NDArray r = t.reshape(b, hgt * wid, -1)) {
                    h = projInLinear.forward(r);
                }
            }
        }
        for (BasicTransformerBlock block : blocks) {
            try (NDArray prev = h) {
                h = block.forward(prev, context);
            }
        }
        NDArray out;
        try (NDArray hs = h) {
            long inner = hs.getShape().get(2);
            if (!useLinearProjection) {
                // reshape(batch, height, width, inner_dim).permute(0, 3, 1, 2).contiguous(); proj_out
                try (NDArray r = hs.reshape(b, hgt, wid, inner); NDArray t = r.transpose(0, 3, 1, 2)) {
                    out = projOutConv.forward(t);
                }
            } else {
                try (NDArray p = projOutLinear.forward(hs); NDArray r = p.reshape(b, hgt, wid, -1)) {
                    out = r.transpose(0, 3, 1, 2);
                }
            }
        }
        try (out) {
            return out.add(x); // output = hidden_states + residual
        }
    }
}
