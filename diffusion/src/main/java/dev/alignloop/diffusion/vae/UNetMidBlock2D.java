package dev.alignloop.diffusion.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.blocks.Attention;
import dev.alignloop.diffusion.blocks.ResnetBlock2D;
import dev.alignloop.diffusion.nn.Activation;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.nn.ModuleList;

/**
 * diffusers' {@code UNetMidBlock2D} as the VAE builds it ({@code num_layers=1}, no time
 * embedding): {@code resnets.0 → attentions.0 → resnets.1}.
 */
final class UNetMidBlock2D extends Module {
    private final ModuleList<Attention> attentions; // null without mid_block_add_attention
    private final ModuleList<ResnetBlock2D> resnets;

    UNetMidBlock2D(NDManager manager, int channels, int groups, Activation act, boolean addAttention) {
        this.resnets = new ModuleList<>();
        resnets.add(new ResnetBlock2D(manager, channels, channels, null, groups, ResnetStack2D.EPS, 0f, act, 1.0));
        this.attentions = addAttention ? register("attentions", new ModuleList<>()) : null;
        if (addAttention) {
            attentions.add(Attention.spatialSelfAttention(manager, channels, groups, ResnetStack2D.EPS));
        }
        resnets.add(new ResnetBlock2D(manager, channels, channels, null, groups, ResnetStack2D.EPS, 0f, act, 1.0));
        register("resnets", resnets);
    }

    /** x [B, C, H, W] → [B, C, H, W]. */
    NDArray forward(NDArray x) {
        NDArray h = resnets.get(0).forward(x);
        if (attentions != null) {
            try (NDArray prev = h) {
                h = attentions.get(0).forward(prev);
            }
        }
        try (NDArray prev = h) {
            return resnets.get(1).forward(prev);
        }
    }
}
