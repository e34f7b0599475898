package dev.alignloop.diffusion.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.nn.Activation;
import dev.alignloop.diffusion.nn.Conv2d;
import dev.alignloop.diffusion.nn.F;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.nn.ModuleList;

/** diffusers' {@code UpDecoderBlock2D}: resnets, then (except on the last level) an {@link Upsample2D}. */
final class UpDecoderBlock2D extends Module {
    /** diffusers' {@code Upsample2D(use_conv=True)}: nearest 2x upsampling, then a 3x3 convolution. */
    static final class Upsample2D extends Module {
        private final Conv2d conv; // (C, C, 3, 3)

        Upsample2D(NDManager manager, int channels) {
            this.conv = register("conv", new Conv2d(manager, channels, channels, 3, 1, 1));
        }

        /** x [B, C, H, W] → [B, C, 2H, 2W]. */
        NDArray forward(NDArray x) {
            // F.interpolate(hidden_states, scale_factor=2.0, mode="nearest")
            try (NDArray up = F.upsampleNearest2x(x)) {
                return conv.forward(up);
            }
        }
    }

    private final ModuleList<ResnetBlock2D> resnets;
    private final ModuleList<Upsample2D> upsamplers; // null on the last level

    UpDecoderBlock2D(NDManager manager, int in, int out, int layers, int groups, Activation act, boolean upsample) {
        this.resnets = register("resnets", new ModuleList<>());
        for (int i = 0; i < layers; i++) {
            resnets.add(new ResnetBlock2D(manager, i == 0 ? in : out, out, groups, act));
        }
        this.upsamplers = upsample ? register("upsamplers", new ModuleList<>()) : null;
        if (upsample) {
            upsamplers.add(new Upsample2D(manager, out));
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
        if (upsamplers != null) {
            try (NDArray prev = h) {
                h = upsamplers.get(0).forward(prev);
            }
        }
        return h;
    }
}
