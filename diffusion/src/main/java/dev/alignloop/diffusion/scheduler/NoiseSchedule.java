package dev.alignloop.diffusion.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * The training noise schedule every diffusers scheduler builds in its constructor: {@code betas},
 * {@code alphas = 1 - betas} and {@code alphas_cumprod}, all float32 exactly as torch computes them, plus
 * DDPM/DDIM's {@code add_noise} and {@code get_velocity} (the forward process used in training).
 */
public final class NoiseSchedule {
    // (num_train_timesteps)
    private final float[] betas;
    // (num_train_timesteps)
    private final float[] alphas;
    // (num_train_timesteps)
    private final float[] alphasCumprod;

    private NoiseSchedule(float[] betas) {
        this.betas = betas;
        this.alphas = new float[betas.length];
        for (int i = 0; i < betas.length; i++) {
            alphas[i] = 1.0f - betas[i]; // self.alphas = 1.0 - self.betas
        }
        this.alphasCumprod = ReferenceMath.torchCumprod(alphas);
    }

    /**
     * Builds the schedule of {@code config} (its {@code beta_schedule} or {@code trained_betas}, then
     * {@code rescale_betas_zero_snr} where the class registers it).
     *
     * @param config the scheduler config
     * @return the schedule
     */
    public static NoiseSchedule of(SchedulerConfig config) {
        float[] betas = betas(config);
        if (config.rescaleBetasZeroSnr() && config.type().uses("rescale_betas_zero_snr")) {
            betas = rescaleZeroTerminalSnr(betas);
        }
        return new NoiseSchedule(betas);
    }

    private static float[] betas(SchedulerConfig c) {
        int n = c.numTrainTimesteps();
        double[] trained = c.trainedBetas();
        if (trained != null) {
            float[] b = new float[n];
            for (int i = 0; i < n; i++) {
                b[i] = (float) trained[i]; // torch.tensor(trained_betas, dtype=torch.float32)
            }
            return b;
        }
        switch (c.betaSchedule()) {
            case LINEAR:
                return ReferenceMath.torchLinspace(c.betaStart(), c.betaEnd(), n);
            case SCALED_LINEAR: {
                // torch.linspace(beta_start**0.5, beta_end**0.5, n, dtype=torch.float32) ** 2
                float[] b = ReferenceMath.torchLinspace(Math.sqrt(c.betaStart()), Math.sqrt(c.betaEnd()), n);
                for (int i = 0; i < n; i++) {
                    b[i] = b[i] * b[i];
                }
                return b;
            }
            case SQUAREDCOS_CAP_V2:
                return betasForAlphaBar(n);
            case SIGMOID: {
                // torch.sigmoid(torch.linspace(-6, 6, n)) * (beta_end - beta_start) + beta_start
                float[] b = ReferenceMath.torchLinspace(-6, 6, n);
                float scale = (float) (c.betaEnd() - c.betaStart());
                float shift = (float) c.betaStart();
                for (int i = 0; i < n; i++) {
                    float sig = (float) (1.0 / (1.0 + Math.exp(-(double) b[i])));
                    b[i] = sig * scale + shift;
                }
                return b;
            }
            default:
                throw new IllegalStateException(c.betaSchedule().value());
        }
    }

    /** {@code betas_for_alpha_bar(n)} with the cosine transform, in float64, then float32. */
    private static float[] betasForAlphaBar(int n) {
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            double t1 = (double) i / n;
            double t2 = (double) (i + 1) / n;
            b[i] = (float) Math.min(1 - alphaBar(t2) / alphaBar(t1), 0.999);
        }
        return b;
    }

    private static double alphaBar(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c; // math.cos(...) ** 2
    }

    /** {@code rescale_zero_terminal_snr(betas)} (arXiv:2305.08891, Algorithm 1), in float32 as torch does. */
    static float[] rescaleZeroTerminalSnr(float[] betas) {
        int n = betas.length;
        float[] alphas = new float[n];
        for (int i = 0; i < n; i++) {
            alphas[i] = 1.0f - betas[i];
        }
        float[] sqrtBar = ReferenceMath.torchCumprod(alphas);
        for (int i = 0; i < n; i++) {
            sqrtBar[i] = ReferenceMath.sqrt(sqrtBar[i]);
        }
        float first = sqrtBar[0];
        float last = sqrtBar[n - 1];
        float scale = first / (first - last); // alphas_bar_sqrt_0 / (alphas_bar_sqrt_0 - alphas_bar_sqrt_T)
        float[] bar = new float[n];
        for (int i = 0; i < n; i++) {
            float s = (sqrtBar[i] - last) * scale;
            bar[i] = s * s;
        }
        float[] out = new float[n];
        out[0] = 1 - bar[0];
        for (int i = 1; i < n; i++) {
            out[i] = 1 - bar[i] / bar[i - 1];
        }
        return out;
    }

    /** @return the number of training timesteps */
    public int size() {
        return betas.length;
    }

    /** @return a copy of {@code betas} */
    public float[] betas() {
        return betas.clone();
    }

    /** @return a copy of {@code alphas} */
    public float[] alphas() {
        return alphas.clone();
    }

    /** @return a copy of {@code alphas_cumprod} */
    public float[] alphasCumprod() {
        return alphasCumprod.clone();
    }

    /** @return {@code alphas_cumprod[t]} */
    public float alphaCumprod(int t) {
        return alphasCumprod[t];
    }

    float[] alphasCumprodView() {
        return alphasCumprod;
    }

    /**
     * {@code add_noise}: {@code sqrt(alphas_cumprod[t]) * original + sqrt(1 - alphas_cumprod[t]) * noise}, one
     * timestep per batch element.
     *
     * @param original x0, shape (B, ...)
     * @param noise epsilon, shape of {@code original}
     * @param timesteps (B) integer training timesteps
     * @return x_t, shape of {@code original}
     */
    public NDArray addNoise(NDArray original, NDArray noise, NDArray timesteps) {
        NDArray[] c = coefficients(original, timesteps);
        try (NDArray a = original.mul(c[0]); NDArray b = noise.mul(c[1])) {
            NDArray out = a.add(b);
            c[0].close();
            c[1].close();
            return out;
        }
    }

    /**
     * {@code get_velocity}: {@code sqrt(alphas_cumprod[t]) * noise - sqrt(1 - alphas_cumprod[t]) * sample}, the
     * v-prediction target.
     *
     * @param sample x0, shape (B, ...)
     * @param noise epsilon, shape of {@code sample}
     * @param timesteps (B) integer training timesteps
     * @return v, shape of {@code sample}
     */
    public NDArray velocity(NDArray sample, NDArray noise, NDArray timesteps) {
        NDArray[] c = coefficients(sample, timesteps);
        try (NDArray a = noise.mul(c[0]); NDArray b = sample.mul(c[1])) {
            NDArray out = a.sub(b);
            c[0].close();
            c[1].close();
            return out;
        }
    }

    /** (sqrt_alpha_prod, sqrt_one_minus_alpha_prod), each (B, 1, ..., 1) to broadcast over {@code like}. */
    private NDArray[] coefficients(NDArray like, NDArray timesteps) {
        long[] t = integerTimesteps(timesteps);
        long[] dims = new long[like.getShape().dimension()];
        Arrays.fill(dims, 1);
        dims[0] = t.length;
        if (like.getShape().dimension() == 0 || like.getShape().get(0) != t.length) {
            throw new IllegalArgumentException("timesteps " + Arrays.toString(t) + " do not match the batch of a sample "
                    + "shaped " + like.getShape());
        }
        float[] a = new float[t.length];
        float[] b = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            float ac = alphasCumprod[(int) t[i]];
            a[i] = ReferenceMath.sqrt(ac); // alphas_cumprod[timesteps] ** 0.5
            b[i] = ReferenceMath.sqrt(1 - ac); // (1 - alphas_cumprod[timesteps]) ** 0.5
        }
        Shape shape = new Shape(dims);
        return new NDArray[] {like.getManager().create(a, shape), like.getManager().create(b, shape)};
    }

    private long[] integerTimesteps(NDArray timesteps) {
        long[] t;
        DataType dt = timesteps.getDataType();
        if (dt.isInteger()) {
            try (NDArray l = timesteps.toType(DataType.INT64, true)) {
                t = l.toLongArray();
            }
        } else {
            float[] f;
            try (NDArray l = timesteps.toType(DataType.FLOAT32, true)) {
                f = l.toFloatArray();
            }
            t = new long[f.length];
            for (int i = 0; i < f.length; i++) {
                if (f[i] != Math.rint(f[i])) {
                    throw new IllegalArgumentException("training timestep " + f[i] + " is not an integer");
                }
                t[i] = (long) f[i];
            }
        }
        for (long v : t) {
            if (v < 0 || v >= alphasCumprod.length) {
                throw new IllegalArgumentException(
                        "training timestep " + v + " is outside [0, " + alphasCumprod.length + ")");
            }
        }
        return t;
    }
}
