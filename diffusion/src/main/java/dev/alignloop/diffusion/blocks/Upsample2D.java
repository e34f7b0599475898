package dev.alignloop.diffusion.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.nn.Conv2d;
import dev.alignloop.diffusion.nn.F;
import dev.alignloop.diffusion.nn.Module;

/** diffusers {@code Upsample2D(use_conv=True)}: nearest 2x (or to an explicit size), then a 3x3 conv. */
public final class Upsample2D extends Module {
    private final Conv2d conv; // (C, C, 3, 3)

    /** An upsampler keeping {@code channels}. */
    public Upsample2D(NDManager m, int channels) {
        this.conv = register("conv", new Conv2d(m, channels, channels, 3, 1, 1));
    }

    /** x [B, C, H, W] → [B, C, 2H, 2W] ({@code F.interpolate(scale_factor=2.0, mode="nearest")}). */
    public NDArray forward(NDArray x) {
        return forward(x, null);
    }

    /**
     * x [B, C, H, W] → [B, C, 2H, 2W], or [B, C, h, w] when {@code outputSize = {h, w}} is given
     * ({@code F.interpolate(size=output_size, mode="nearest")}).
     */
    public NDArray forward(NDArray x, long[] outputSize) {
        NDArray up = outputSize == null ? F.upsampleNearest2x(x)
                : x.getNDArrayInternal().interpolation(outputSize, 0, false);
        try (up) {
            return conv.forward(up);
        }
    }
}
