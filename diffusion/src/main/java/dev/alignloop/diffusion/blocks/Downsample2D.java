package dev.alignloop.diffusion.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.nn.Conv2d;
import dev.alignloop.diffusion.nn.Module;

/** diffusers {@code Downsample2D(use_conv=True, name="op")}: a stride-2 3x3 conv registered as {@code conv}. */
public final class Downsample2D extends Module {
    private final Conv2d conv; // (out, in, 3, 3)
    private final int padding;

    /**
     * {@code padding} is the config's {@code downsample_padding}; 0 (the VAE's) pads asymmetrically,
     * one zero column right and one zero row bottom, before the unpadded convolution.
     */
    public Downsample2D(NDManager m, int channels, int padding) {
        this.conv = register("conv", new Conv2d(m, channels, channels, 3, 2, padding));
        this.padding = padding;
    }

    /** x [B, C, H, W] → [B, C, ceil(H/2), ceil(W/2)] (for padding 0 or 1). */
    public NDArray forward(NDArray x) {
        if (padding == 0) {
            // F.pad(hidden_states, (0, 1, 0, 1)): one zero column right, one zero row bottom
            try (NDArray padded = x.pad(new Shape(0, 1, 0, 1), 0)) {
                return conv.forward(padded);
            }
        }
        return conv.forward(x);
    }
}
