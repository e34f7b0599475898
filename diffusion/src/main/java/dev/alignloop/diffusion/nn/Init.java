package dev.alignloop.diffusion.nn;

import java.util.SplittableRandom;

/**
 * How a {@link Parameter} is filled by {@link Module#initialize(long)}.
 *
 * <p>Close to PyTorch's defaults: {@code nn.Linear}/{@code nn.Conv2d} weights use
 * {@code kaiming_uniform_(a=sqrt(5))}, i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)); we use the same
 * bound. Biases are zeros (PyTorch draws them from the same uniform; zeros are simpler and
 * train equally well for diffusion UNets). Norm weights are ones, norm biases zeros, embeddings
 * N(0, 1) like {@code nn.Embedding}.
 *
 * @param kind the distribution
 * @param scale the bound (uniform) or standard deviation (normal); unused for constants
 */
public record Init(Kind kind, double scale) {
    /** The distribution family. */
    public enum Kind { ZEROS, ONES, UNIFORM, NORMAL }

    /** All zeros. */
    public static final Init ZEROS = new Init(Kind.ZEROS, 0);
    /** All ones. */
    public static final Init ONES = new Init(Kind.ONES, 0);

    /** PyTorch's default for Linear/Conv weights: U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
    public static Init kaimingUniform(long fanIn) {
        if (fanIn <= 0) {
            throw new IllegalArgumentException("fanIn must be positive, got " + fanIn);
        }
        return new Init(Kind.UNIFORM, 1.0 / Math.sqrt(fanIn));
    }

    /** N(0, std^2). */
    public static Init normal(double std) {
        return new Init(Kind.NORMAL, std);
    }

    /** Fills {@code n} values deterministically from {@code rng}. */
    float[] sample(int n, SplittableRandom rng) {
        float[] out = new float[n];
        switch (kind) {
            case ZEROS -> { }
            case ONES -> java.util.Arrays.fill(out, 1f);
            case UNIFORM -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
                }
            }
            case NORMAL -> {
                for (int i = 0; i < n; i += 2) {
                    // Box-Muller: two normals per pair of uniforms.
                    double u1 = 1.0 - rng.nextDouble();
                    double u2 = rng.nextDouble();
                    double r = Math.sqrt(-2 * Math.log(u1)) * scale;
                    out[i] = (float) (r * Math.cos(2 * Math.PI * u2));
                    if (i + 1 < n) {
                        out[i + 1] = (float) (r * Math.sin(2 * Math.PI * u2));
                    }
                }
            }
        }
        return out;
    }
}
