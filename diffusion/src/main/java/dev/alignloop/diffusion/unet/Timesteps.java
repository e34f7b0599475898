package dev.alignloop.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.nn.F;
import dev.alignloop.diffusion.nn.Module;

/**
 * diffusers {@code Timesteps}: sinusoidal embedding of (possibly fractional) timesteps,
 * {@code get_timestep_embedding(t, num_channels, flip_sin_to_cos, downscale_freq_shift)}
 * with {@code max_period = 10000}, {@code scale = 1}. No parameters.
 */
public final class Timesteps extends Module {
    private static final double MAX_PERIOD = 10000;
    private final int numChannels;
    private final boolean flipSinToCos;
    private final double downscaleFreqShift;

    /** An embedding of {@code numChannels} features. */
    public Timesteps(int numChannels, boolean flipSinToCos, double downscaleFreqShift) {
        this.numChannels = numChannels;
        this.flipSinToCos = flipSinToCos;
        this.downscaleFreqShift = downscaleFreqShift;
    }

    /** timesteps [N] (any numeric type) → [N, num_channels] float32, in timesteps' manager. */
    public NDArray forward(NDArray timesteps) {
        NDManager m = timesteps.getManager();
        int half = numChannels / 2;
        // exponent = -math.log(max_period) * torch.arange(0, half_dim, dtype=torch.float32)
        // exponent = exponent / (half_dim - downscale_freq_shift); emb = torch.exp(exponent)
        NDArray freqs;
        try (NDArray ar = m.arange(0f, (float) half, 1f, DataType.FLOAT32);
             NDArray e0 = ar.mul(-Math.log(MAX_PERIOD));
             NDArray e1 = e0.div(half - downscaleFreqShift);
             NDArray e2 = e1.exp()) {
            freqs = e2.reshape(1, half);
        }
        // emb = timesteps[:, None].float() * emb[None, :]
        NDArray arg;
        try (NDArray t = timesteps.toType(DataType.FLOAT32, false); NDArray tc = t.reshape(-1, 1)) {
            arg = tc.mul(freqs);
        }
        freqs.close();
        NDArray emb;
        try (NDArray sin = arg.sin(); NDArray cos = arg.cos()) {
            // torch.cat([sin, cos]); flip_sin_to_cos swaps the halves → cat([cos, sin])
            emb = flipSinToCos ? F.cat(-1, cos, sin) : F.cat(-1, sin, cos);
        }
        arg.close();
        if (numChannels % 2 == 1) {
            // torch.nn.functional.pad(emb, (0, 1, 0, 0))
            NDArray padded = emb.pad(new Shape(0, 1), 0);
            emb.close();
            emb = padded;
        }
        return emb;
    }
}
