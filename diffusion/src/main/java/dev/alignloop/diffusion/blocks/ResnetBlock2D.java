package dev.alignloop.diffusion.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.nn.Activation;
import dev.alignloop.diffusion.nn.Conv2d;
import dev.alignloop.diffusion.nn.Dropout;
import dev.alignloop.diffusion.nn.F;
import dev.alignloop.diffusion.nn.GroupNorm;
import dev.alignloop.diffusion.nn.Linear;
import dev.alignloop.diffusion.nn.Module;

/**
 * diffusers {@code ResnetBlock2D} with {@code time_embedding_norm="default"}, {@code pre_norm},
 * no up/down sampling: norm1 → act → conv1 (+ time_emb_proj(act(temb))) → norm2 → act →
 * dropout → conv2, plus the (1x1 conv_shortcut when channels change) input, divided by
 * {@code output_scale_factor}. The UNet builds it with a time embedding; the VAE without
 * ({@code temb_channels=None}: no {@code time_emb_proj}).
 */
public final class ResnetBlock2D extends Module {
    private final GroupNorm norm1;
    private final Conv2d conv1;          // (out, in, 3, 3)
    private final Linear timeEmbProj;    // (out, temb) or null
    private final GroupNorm norm2;
    private final Dropout dropout;
    private final Conv2d conv2;          // (out, out, 3, 3)
    private final Conv2d convShortcut;   // (out, in, 1, 1) or null
    private final Activation act;
    private final double outputScaleFactor;

    /**
     * A block from {@code in} to {@code out} channels conditioned on a {@code temb}-wide
     * embedding, or unconditioned when {@code temb} is null.
     */
    public ResnetBlock2D(NDManager m, int in, int out, Integer temb, int groups, float eps, float dropout,
                         Activation act, double outputScaleFactor) {
        this.norm1 = register("norm1", new GroupNorm(m, groups, in, eps, true));
        this.conv1 = register("conv1", new Conv2d(m, in, out, 3, 1, 1));
        this.timeEmbProj = temb == null ? null : register("time_emb_proj", new Linear(m, temb, out));
        this.norm2 = register("norm2", new GroupNorm(m, groups, out, eps, true));
        this.dropout = register("dropout", new Dropout(dropout));
        this.conv2 = register("conv2", new Conv2d(m, out, out, 3, 1, 1));
        this.convShortcut = in != out ? register("conv_shortcut", new Conv2d(m, in, out, 1, 1, 0)) : null;
        this.act = act;
        this.outputScaleFactor = outputScaleFactor;
    }

    /** x [B, in, H, W] → [B, out, H, W], for a block built without a time embedding. */
    public NDArray forward(NDArray x) {
        return forward(x, null);
    }

    /** x [B, in, H, W], temb [B, temb] (null exactly when built without one) → [B, out, H, W]. */
    public NDArray forward(NDArray x, NDArray temb) {
        if ((temb == null) != (timeEmbProj == null)) {
            throw new IllegalArgumentException(timeEmbProj == null
                    ? "this ResnetBlock2D has no time_emb_proj: temb must be null"
                    : "this ResnetBlock2D needs temb");
        }
        NDArray h;
        try (NDArray n1 = norm1.forward(x); NDArray a1 = act.apply(n1)) {
            h = conv1.forward(a1);
        }
        if (temb != null) {
            // temb = self.time_emb_proj(self.nonlinearity(temb))[:, :, None, None]; hidden_states = hidden_states + temb
            try (NDArray ta = act.apply(temb); NDArray tp = timeEmbProj.forward(ta);
                 NDArray t44 = tp.reshape(tp.getShape().get(0), -1, 1, 1); NDArray pre = h) {
                h = pre.add(t44);
            }
        }
        try (NDArray n2 = norm2.forward(h); NDArray a2 = act.apply(n2); NDArray d = dropout.forward(a2)) {
            h.close();
            h = conv2.forward(d);
        }
        NDArray out;
        if (convShortcut != null) {
            try (NDArray sc = convShortcut.forward(x)) {
                out = sc.add(h);
            }
        } else {
            out = x.add(h);
        }
        h.close();
        if (outputScaleFactor != 1.0) {
            // output_tensor = (input_tensor + hidden_states) / self.output_scale_factor
            try (NDArray pre = out; NDArray s = F.scalar(pre, (float) outputScaleFactor)) {
                out = pre.div(s); // a torch-owned divisor: backward reads it (see F)
            }
        }
        return out;
    }
}
