package dev.alignloop.diffusion.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.blocks.Upsample2D;
import dev.alignloop.diffusion.nn.Conv2d;
import dev.alignloop.diffusion.nn.F;
import dev.alignloop.diffusion.nn.GroupNorm;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.nn.ModuleList;
import java.util.List;

/**
 * diffusers' VAE {@code Decoder}: {@code conv_in}, mid block, up blocks over the reversed
 * {@code block_out_channels} with {@code layers_per_block + 1} resnets each, {@code conv_norm_out},
 * SiLU, {@code conv_out}.
 */
final class Decoder extends Module {
    private final Conv2d convIn;                      // (C_last, latent, 3, 3)
    private final UNetMidBlock2D midBlock;
    private final ModuleList<ResnetStack2D<Upsample2D>> upBlocks;
    private final GroupNorm convNormOut;              // (C0)
    private final Conv2d convOut;                     // (out, C0, 3, 3)

    Decoder(NDManager manager, AutoencoderKLConfig config) {
        List<Integer> ch = config.blockOutChannels();
        int groups = config.normNumGroups();
        int last = ch.get(ch.size() - 1);
        this.convIn = register("conv_in", new Conv2d(manager, config.latentChannels(), last, 3, 1, 1));
        this.midBlock = register("mid_block",
                new UNetMidBlock2D(manager, last, groups, config.activation(), config.hasMidAttention()));
        this.upBlocks = register("up_blocks", new ModuleList<>());
        int output = last;
        for (int i = 0; i < ch.size(); i++) {
            int prev = output;
            output = ch.get(ch.size() - 1 - i);
            upBlocks.add(ResnetStack2D.upDecoder(manager, prev, output, config.layersPerBlock() + 1, groups,
                    config.activation(), i != ch.size() - 1));
        }
        this.convNormOut = register("conv_norm_out", new GroupNorm(manager, groups, ch.get(0), ResnetStack2D.EPS, true));
        this.convOut = register("conv_out", new Conv2d(manager, ch.get(0), config.outChannels(), 3, 1, 1));
    }

    /** z [B, latent, h, w] → [B, out, h * f, w * f]. */
    NDArray forward(NDArray z) {
        NDArray h = convIn.forward(z);
        try (NDArray prev = h) {
            h = midBlock.forward(prev);
        }
        for (ResnetStack2D<Upsample2D> block : upBlocks) {
            try (NDArray prev = h) {
                h = block.forward(prev);
            }
        }
        try (NDArray prev = h; NDArray n = convNormOut.forward(prev); NDArray a = F.silu(n)) {
            return convOut.forward(a);
        }
    }
}
