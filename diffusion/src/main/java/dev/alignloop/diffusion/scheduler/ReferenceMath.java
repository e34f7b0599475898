package dev.alignloop.diffusion.scheduler;

/**
 * The numpy and torch (CPU) primitives diffusers' schedulers are built from, reproduced with their
 * precision: torch float32 ops in Java {@code float} arithmetic, numpy float64 ops in {@code double}. Java
 * float and double arithmetic is IEEE round-to-nearest (strict since Java 17), so these match the
 * reference bit for bit where the reference does not itself vary with the CPU (torch's vectorised
 * {@code linspace} may differ from its scalar path by one ulp on some elements).
 */
final class ReferenceMath {
    private ReferenceMath() {
    }

    /**
     * SIMD width, in floats, of the torch build that made diffusers' reference tensors: its CPU
     * {@code linspace} kernel was still vectorised (AVX512: 16 floats). The parity cases (ddim-sd,
     * ddpm-noise-sd) reproduce bit for bit with this kernel and not with today's scalar one; for the
     * {@code scaled_linear} schedule widths 8 (AVX2) and 16 give identical {@code alphas_cumprod}.
     */
    static final int REFERENCE_LINSPACE_WIDTH = 16;

    /** {@code torch.linspace(start, end, steps, dtype=torch.float32)} as the reference torch build computes it. */
    static float[] torchLinspace(double start, double end, int steps) {
        return torchLinspace(start, end, steps, REFERENCE_LINSPACE_WIDTH);
    }

    /**
     * {@code torch.linspace(start, end, steps, dtype=torch.float32)} on CPU. ATen casts both ends to float,
     * takes {@code step = (end - start) / (steps - 1)} in float and fills the first half as
     * {@code start + step * i}, the second as {@code end - step * (steps - i - 1)}; the kernels are built with
     * FMA, so these are fused multiply-adds. With {@code width} 0 this is the scalar kernel of current
     * libtorch (2.7.1 matches bit for bit); with a SIMD width it is the earlier vectorised kernel: blocks of
     * two vectors where element {@code idx + j} is {@code base(idx) + j * step}, the tail scalar.
     */
    static float[] torchLinspace(double start, double end, int steps, int width) {
        float[] out = new float[steps];
        if (steps == 0) {
            return out;
        }
        float s = (float) start;
        float e = (float) end;
        if (steps == 1) {
            out[0] = s;
            return out;
        }
        float step = (e - s) / (steps - 1);
        int halfway = steps / 2;
        int i = 0;
        if (width > 0) {
            for (; i <= steps - 2 * width; i += 2 * width) { // vectorized_loop: two vectors per iteration
                for (int v = i; v < i + 2 * width; v += width) {
                    float base = linspaceAt(v, s, e, step, steps, halfway);
                    for (int j = 0; j < width; j++) {
                        out[v + j] = Math.fma((float) j, step, base); // Vectorized<float>::arange(base, step)
                    }
                }
            }
        }
        for (; i < steps; i++) {
            out[i] = linspaceAt(i, s, e, step, steps, halfway);
        }
        return out;
    }

    private static float linspaceAt(int i, float s, float e, float step, int steps, int halfway) {
        return i < halfway ? Math.fma(step, (float) i, s) : Math.fma(-step, (float) (steps - i - 1), e);
    }

    /**
     * {@code torch.cumprod(x, dim=0)} on CPU for float32: ATen accumulates in {@code acc_type<float>} =
     * double and stores each partial product rounded to float.
     */
    static float[] torchCumprod(float[] x) {
        float[] out = new float[x.length];
        double acc = 1.0;
        for (int i = 0; i < x.length; i++) {
            acc *= x[i];
            out[i] = (float) acc;
        }
        return out;
    }

    /** {@code np.linspace(start, stop, num)} in float64: {@code i * ((stop - start) / (num - 1)) + start}, last = stop. */
    static double[] npLinspace(double start, double stop, int num) {
        double[] out = new double[num];
        if (num == 1) {
            out[0] = start;
            return out;
        }
        double step = (stop - start) / (num - 1);
        for (int i = 0; i < num; i++) {
            out[i] = i * step + start;
        }
        if (num > 1) {
            out[num - 1] = stop;
        }
        return out;
    }

    /**
     * {@code np.arange(start, stop, step)} in float64: length {@code ceil((stop - start) / step)}, element 1 is
     * {@code start + step} and the rest {@code start + i * ((start + step) - start)} (numpy's DOUBLE_fill).
     */
    static double[] npArange(double start, double stop, double step) {
        double len = Math.ceil((stop - start) / step);
        int n = len > 0 ? (int) len : 0;
        double[] out = new double[n];
        if (n == 0) {
            return out;
        }
        out[0] = start;
        if (n > 1) {
            out[1] = start + step;
            double delta = out[1] - start;
            for (int i = 2; i < n; i++) {
                out[i] = start + i * delta;
            }
        }
        return out;
    }

    /** {@code np.round} (half to even) then {@code astype(np.int64)}. */
    static long npRoundToLong(double x) {
        return (long) Math.rint(x);
    }

    /**
     * {@code np.interp(x, np.arange(len(fp)), fp)} for one x, in float64: {@code slope * (x - j) + fp[j]} with
     * {@code slope = (fp[j+1] - fp[j]) / 1}; ends clamp to {@code fp[0]} and {@code fp[n-1]}.
     */
    static double npInterpIndex(double x, float[] fp) {
        int n = fp.length;
        if (Double.isNaN(x)) {
            return x;
        }
        if (x < 0) {
            return fp[0];
        }
        if (x >= n - 1) {
            return fp[n - 1];
        }
        int j = (int) Math.floor(x);
        if (j == x) {
            return fp[j];
        }
        double slope = ((double) fp[j + 1] - (double) fp[j]) / ((j + 1) - j);
        return slope * (x - j) + fp[j];
    }

    /** {@code x ** 0.5} on a float32 tensor: torch's pow specialises exponent 0.5 to a correctly rounded sqrt. */
    static float sqrt(float x) {
        return (float) Math.sqrt(x);
    }

    /** {@code torch.log} on a float32 scalar (glibc's logf is correctly rounded in practice). */
    static float log(float x) {
        return (float) Math.log(x);
    }

    /** {@code torch.exp} on a float32 scalar. */
    static float exp(float x) {
        return (float) Math.exp(x);
    }
}
