package dev.alignloop.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.blocks.ResnetBlock2D;
import dev.alignloop.diffusion.blocks.Upsample2D;
import dev.alignloop.diffusion.nn.Activation;
import dev.alignloop.diffusion.nn.F;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.nn.ModuleList;
import dev.alignloop.diffusion.unet.UNet2DConditionConfig.UpBlockType;
import java.util.List;

/**
 * diffusers {@code CrossAttnUpBlock2D} and {@code UpBlock2D}: per layer, concatenate the next
 * skip tensor on channels, resnet (then Transformer2DModel for the cross-attention type), and
 * optionally a final {@link Upsample2D}. Children: {@code resnets.i}, {@code attentions.i},
 * {@code upsamplers.0}.
 */
public final class UpBlock extends Module {
    private final UpBlockType type;
    private final ModuleList<ResnetBlock2D> resnets;
    private final ModuleList<Transformer2DModel> attentions; // null for UpBlock2D
    private final ModuleList<Upsample2D> upsamplers;         // null for the last block

    /**
     * Up block {@code i} (0 = deepest), as {@code get_up_block} builds it: {@code layers + 1}
     * resnets, with the reversed per-block settings.
     */
    UpBlock(NDManager m, UNet2DConditionConfig c, int i, int prevOutputChannel, boolean addUpsample) {
        int n = c.numBlocks();
        int rev = n - 1 - i; // index into the down-block-ordered lists
        this.type = c.upBlockTypes().get(i);
        int out = c.blockOutChannels().get(rev);
        int in = c.blockOutChannels().get(Math.max(rev - 1, 0)); // reversed_block_out_channels[min(i + 1, n - 1)]
        int layers = c.layersPerBlock().get(rev) + 1;
        int heads = c.numAttentionHeads(rev);
        Activation act = c.activation();
        float eps = (float) c.normEps();
        float dropout = (float) c.dropout();
        this.resnets = register("resnets", new ModuleList<>());
        this.attentions = type.hasCrossAttention() ? register("attentions", new ModuleList<>()) : null;
        for (int l = 0; l < layers; l++) {
            int resSkip = l == layers - 1 ? in : out;
            int resnetIn = l == 0 ? prevOutputChannel : out;
            resnets.add(new ResnetBlock2D(m, resnetIn + resSkip, out, c.timeEmbedDim(), c.normNumGroups(), eps, dropout,
                    act, 1.0));
            if (attentions != null) {
                attentions.add(new Transformer2DModel(m, heads, out / heads, out, c.transformerLayersPerBlock().get(rev),
                        c.crossAttentionDim().get(rev), c.normNumGroups(), c.useLinearProjection(), dropout));
            }
        }
        this.upsamplers = addUpsample ? register("upsamplers", new ModuleList<>()) : null;
        if (upsamplers != null) {
            upsamplers.add(new Upsample2D(m, out));
        }
    }

    /** This block's config type. */
    public UpBlockType type() {
        return type;
    }

    /** Number of resnets = number of skip tensors consumed. */
    int numResnets() {
        return resnets.size();
    }

    /**
     * x [B, prev, H, W]; {@code skips} in down order (the last is consumed first); upsampleSize
     * {h, w} or null for 2x → [B, out, H', W']. Does not close x or the skips.
     */
    public NDArray forward(NDArray x, List<NDArray> skips, NDArray temb, NDArray context, long[] upsampleSize) {
        NDArray h = x;
        for (int l = 0; l < resnets.size(); l++) {
            NDArray skip = skips.get(skips.size() - 1 - l);
            NDArray r;
            // hidden_states = torch.cat([hidden_states, res_hidden_states], dim=1)
            try (NDArray cat = F.cat(1, h, skip)) {
                r = resnets.get(l).forward(cat, temb);
            }
            if (h != x) {
                h.close();
            }
            if (attentions != null) {
                try (NDArray pre = r) {
                    r = attentions.get(l).forward(pre, context);
                }
            }
            h = r;
        }
        if (upsamplers != null) {
            try (NDArray pre = h) {
                h = upsamplers.get(0).forward(pre, upsampleSize);
            }
        }
        return h;
    }
}
