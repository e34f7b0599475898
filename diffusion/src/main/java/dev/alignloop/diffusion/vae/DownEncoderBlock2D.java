package dev.alignloop.diffusion.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.nn.Activation;
import dev.alignloop.diffusion.nn.Conv2d;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.nn.ModuleList;

/** diffusers' {@code DownEncoderBlock2D}: resnets, then (except on the last level) a {@link Downsample2D}. */
final class DownEncoderBlock2D extends Module {
    /**
     * diffusers' {@code Downsample2D(use_conv=True, padding=0)}: {@code F.pad(x, (0, 1, 0, 1))} then a
     * 3x3 convolution with stride 2 and no padding.
     */
    static final class Downsample2D extends Module {
        private final Conv2d conv; // (C, C, 3, 3)

        Downsample2D(NDManager manager, int channels) {
            this.conv = register("conv", new Conv2d(manager, channels, channels, 3, 2, 0));
        }

        /** x [B, C, H, W] → [B, C, H/2, W/2] (rounded up). */
        NDArray forward(NDArray x) {
            // pad = (0, 1, 0, 1); hidden_states = F.pad(hidden_states, pad, mode="constant", value=0)
            try (NDArray padded = x.pad(new Shape(0, 1, 0, 1), 0)) {
                return conv.forward(padded);
            }
        }
    }

    private final ModuleList<ResnetBlock2D> resnets;
    private final ModuleList<Downsample2D> downsamplers; // null on the last level

    DownEncoderBlock2D(NDManager manager, int in, int out, int layers, int groups, Activation act, boolean downsample) {
        this.resnets = register("resnets", new ModuleList<>());
        for (int i = 0; i < layers; i++) {
            resnets.add(new ResnetBlock2D(manager, i == 0 ? in : out, out, groups, act));
        }
        this.downsamplers = downsample ? register("downsamplers", new ModuleList<>()) : null;
        if (downsample) {
            downsamplers.add(new Downsample2D(manager, out));
        }
    }

    /** x [B, in, H, W] → [B, out, H', W']. */
    NDArray forward(NDArray x) {
        NDArray h = null;
        for (ResnetBlock2D r : resnets) {
            NDArray next = r.forward(h == null ? x : h);
            if (h != null) {
                h.close();
            }
            h = next;
        }
        if (downsamplers != null) {
            try (NDArray prev = h) {
                h = downsamplers.get(0).forward(prev);
            }
        }
        return h;
    }
}
