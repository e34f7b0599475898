package dev.alignloop.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.blocks.ResnetBlock2D;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.nn.ModuleList;

/**
 * diffusers {@code UNetMidBlock2DCrossAttn} (num_layers = 1 as built by the UNet): resnets.0,
 * then for each attention: attentions.i → resnets.(i+1). Resnets use
 * {@code output_scale_factor = mid_block_scale_factor}.
 */
public final class UNetMidBlock2DCrossAttn extends Module {
    private final ModuleList<ResnetBlock2D> resnets;
    private final ModuleList<Transformer2DModel> attentions;

    UNetMidBlock2DCrossAttn(NDManager m, UNet2DConditionConfig c) {
        int last = c.numBlocks() - 1;
        int ch = c.blockOutChannels().get(last);
        int heads = c.numAttentionHeads(last);
        float eps = (float) c.normEps();
        float dropout = (float) c.dropout();
        this.resnets = register("resnets", new ModuleList<>());
        this.attentions = register("attentions", new ModuleList<>());
        resnets.add(new ResnetBlock2D(m, ch, ch, c.timeEmbedDim(), c.normNumGroups(), eps, dropout, c.activation(),
                c.midBlockScaleFactor()));
        // Transformer2DModel(num_attention_heads, in_channels // num_attention_heads, in_channels=in_channels,
        //                    num_layers=transformer_layers_per_block[-1], ...)
        attentions.add(new Transformer2DModel(m, heads, ch / heads, ch, c.transformerLayersPerBlock().get(last),
                c.crossAttentionDim().get(last), c.normNumGroups(), c.useLinearProjection(), dropout));
        resnets.add(new ResnetBlock2D(m, ch, ch, c.timeEmbedDim(), c.normNumGroups(), eps, dropout, c.activation(),
                c.midBlockScaleFactor()));
    }

    /** x [B, C, H, W] → [B, C, H, W]. Does not close x. */
    public NDArray forward(NDArray x, NDArray temb, NDArray context) {
        NDArray h = resnets.get(0).forward(x, temb);
        for (int i = 0; i < attentions.size(); i++) {
            try (NDArray pre = h; NDArray a = attentions.get(i).forward(pre, context)) {
                h = resnets.get(i + 1).forward(a, temb);
            }
        }
        return h;
    }
}
