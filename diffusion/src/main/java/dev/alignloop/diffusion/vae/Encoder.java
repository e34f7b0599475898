package dev.alignloop.diffusion.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.blocks.Downsample2D;
import dev.alignloop.diffusion.nn.Conv2d;
import dev.alignloop.diffusion.nn.F;
import dev.alignloop.diffusion.nn.GroupNorm;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.nn.ModuleList;
import java.util.List;

/**
 * diffusers' VAE {@code Encoder} ({@code double_z=True}): {@code conv_in}, down blocks, mid block,
 * {@code conv_norm_out}, SiLU ({@code conv_act} is always SiLU), {@code conv_out} to
 * {@code 2 * latent_channels} (mean and log-variance).
 */
final class Encoder extends Module {
    private final Conv2d convIn;                        // (C0, in, 3, 3)
    private final ModuleList<ResnetStack2D<Downsample2D>> downBlocks;
    private final UNetMidBlock2D midBlock;
    private final GroupNorm convNormOut;                // (C_last)
    private final Conv2d convOut;                       // (2 * latent, C_last, 3, 3)

    Encoder(NDManager manager, AutoencoderKLConfig config) {
        List<Integer> ch = config.blockOutChannels();
        int groups = config.normNumGroups();
        int last = ch.get(ch.size() - 1);
        this.convIn = register("conv_in", new Conv2d(manager, config.inChannels(), ch.get(0), 3, 1, 1));
        this.downBlocks = register("down_blocks", new ModuleList<>());
        int output = ch.get(0);
        for (int i = 0; i < ch.size(); i++) {
            int input = output;
            output = ch.get(i);
            downBlocks.add(ResnetStack2D.downEncoder(manager, input, output, config.layersPerBlock(), groups,
                    config.activation(), i != ch.size() - 1));
        }
        this.midBlock = register("mid_block",
                new UNetMidBlock2D(manager, last, groups, config.activation(), config.hasMidAttention()));
        this.convNormOut = register("conv_norm_out", new GroupNorm(manager, groups, last, ResnetStack2D.EPS, true));
        this.convOut = register("conv_out", new Conv2d(manager, last, 2L * config.latentChannels(), 3, 1, 1));
    }

    /** x [B, in, H, W] → moments [B, 2 * latent, H / f, W / f]. */
    NDArray forward(NDArray x) {
        NDArray h = convIn.forward(x);
        for (ResnetStack2D<Downsample2D> block : downBlocks) {
            try (NDArray prev = h) {
                h = block.forward(prev);
            }
        }
        try (NDArray prev = h) {
            h = midBlock.forward(prev);
        }
        try (NDArray prev = h; NDArray n = convNormOut.forward(prev); NDArray a = F.silu(n)) {
            return convOut.forward(a);
        }
    }
}
