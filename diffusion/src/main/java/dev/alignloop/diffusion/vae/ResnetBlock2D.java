package dev.alignloop.diffusion.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.nn.Activation;
import dev.alignloop.diffusion.nn.Conv2d;
import dev.alignloop.diffusion.nn.GroupNorm;
import dev.alignloop.diffusion.nn.Module;

/**
 * diffusers' {@code ResnetBlock2D} as the VAE builds it: no time embedding, {@code eps=1e-6},
 * {@code output_scale_factor=1}, a 1x1 {@code conv_shortcut} when channels change.
 */
final class ResnetBlock2D extends Module {
    static final float EPS = 1e-6f;

    private final Activation act;
    private final GroupNorm norm1;      // (in)
    private final Conv2d conv1;         // (out, in, 3, 3)
    private final GroupNorm norm2;      // (out)
    private final Conv2d conv2;         // (out, out, 3, 3)
    private final Conv2d convShortcut;  // (out, in, 1, 1) or null

    ResnetBlock2D(NDManager manager, int in, int out, int groups, Activation act) {
        this.act = act;
        this.norm1 = register("norm1", new GroupNorm(manager, groups, in, EPS, true));
        this.conv1 = register("conv1", new Conv2d(manager, in, out, 3, 1, 1));
        this.norm2 = register("norm2", new GroupNorm(manager, groups, out, EPS, true));
        this.conv2 = register("conv2", new Conv2d(manager, out, out, 3, 1, 1));
        this.convShortcut = in != out ? register("conv_shortcut", new Conv2d(manager, in, out, 1, 1, 0)) : null;
    }

    /** x [B, in, H, W] → [B, out, H, W]. */
    NDArray forward(NDArray x) {
        NDArray h;
        try (NDArray n = norm1.forward(x); NDArray a = act.apply(n)) {
            h = conv1.forward(a);
        }
        NDArray h2;
        try (h; NDArray n = norm2.forward(h); NDArray a = act.apply(n)) {
            h2 = conv2.forward(a); // dropout(p=0) omitted
        }
        try (h2) {
            if (convShortcut == null) {
                return x.add(h2); // (input_tensor + hidden_states) / output_scale_factor (= 1)
            }
            try (NDArray s = convShortcut.forward(x)) {
                return s.add(h2);
            }
        }
    }
}
