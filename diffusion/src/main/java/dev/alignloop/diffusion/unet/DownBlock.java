package dev.alignloop.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.blocks.Downsample2D;
import dev.alignloop.diffusion.blocks.ResnetBlock2D;
import dev.alignloop.diffusion.nn.Activation;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.nn.ModuleList;
import dev.alignloop.diffusion.unet.UNet2DConditionConfig.DownBlockType;
import java.util.ArrayList;
import java.util.List;

/**
 * diffusers {@code CrossAttnDownBlock2D} (resnets interleaved with Transformer2DModels) and
 * {@code DownBlock2D} (resnets only), each optionally ending in a {@link Downsample2D}. Children:
 * {@code resnets.i}, {@code attentions.i} (cross-attention type only), {@code downsamplers.0}.
 */
public final class DownBlock extends Module {
    private final DownBlockType type;
    private final ModuleList<ResnetBlock2D> resnets;
    private final ModuleList<Transformer2DModel> attentions; // null for DownBlock2D
    private final ModuleList<Downsample2D> downsamplers;     // null for the last block

    /**
     * Builds block {@code i} of {@code c} with {@code in} input channels, as
     * {@code UNet2DConditionModel.__init__} does through {@code get_down_block}.
     */
    DownBlock(NDManager m, UNet2DConditionConfig c, int i, int in, boolean addDownsample) {
        this.type = c.downBlockTypes().get(i);
        int out = c.blockOutChannels().get(i);
        int temb = c.timeEmbedDim();
        Activation act = c.activation();
        float eps = (float) c.normEps();
        float dropout = (float) c.dropout();
        int heads = c.numAttentionHeads(i);
        this.resnets = register("resnets", new ModuleList<>());
        this.attentions = type.hasCrossAttention() ? register("attentions", new ModuleList<>()) : null;
        for (int l = 0; l < c.layersPerBlock().get(i); l++) {
            // DownBlock2D/CrossAttnDownBlock2D get no resnet_out_scale_factor from get_down_block: 1.0
            resnets.add(new ResnetBlock2D(m, l == 0 ? in : out, out, temb, c.normNumGroups(), eps, dropout, act, 1.0));
            if (attentions != null) {
                // Transformer2DModel(num_attention_heads, out_channels // num_attention_heads, in_channels=out_channels, ...)
                attentions.add(new Transformer2DModel(m, heads, out / heads, out, c.transformerLayersPerBlock().get(i),
                        c.crossAttentionDim().get(i), c.normNumGroups(), c.useLinearProjection(), dropout));
            }
        }
        this.downsamplers = addDownsample ? register("downsamplers", new ModuleList<>()) : null;
        if (downsamplers != null) {
            downsamplers.add(new Downsample2D(m, out, c.downsamplePadding()));
        }
    }

    /** This block's config type. */
    public DownBlockType type() {
        return type;
    }

    /** Number of resnets (= skip connections before the downsampler). */
    int numResnets() {
        return resnets.size();
    }

    /**
     * x [B, in, H, W] → the block's {@code output_states}: one tensor per resnet (after its
     * attention) plus the downsampled one; the last is the block's output {@code hidden_states}.
     * The caller owns (and eventually closes) them all.
     */
    public List<NDArray> forward(NDArray x, NDArray temb, NDArray context) {
        List<NDArray> states = new ArrayList<>();
        NDArray h = x;
        for (int l = 0; l < resnets.size(); l++) {
            NDArray r = resnets.get(l).forward(h, temb);
            if (attentions != null) {
                try (NDArray pre = r) {
                    r = attentions.get(l).forward(pre, context);
                }
            }
            states.add(r);
            h = r;
        }
        if (downsamplers != null) {
            states.add(downsamplers.get(0).forward(h));
        }
        return states;
    }
}
