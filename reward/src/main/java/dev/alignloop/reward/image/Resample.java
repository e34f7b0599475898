package dev.alignloop.reward.image;

import java.util.Arrays;

/**
 * PIL's separable resampling filters, with PIL's integer codes ({@code PIL.Image.Resampling}),
 * which is what {@code "resample"} holds in a HF {@code preprocessor_config.json}.
 *
 * <p>The kernels are transcribed from Pillow's {@code libImaging/Resample.c}; {@link #support()}
 * is the kernel radius at scale 1 (PIL widens it by the downscale factor to antialias).
 * {@code NEAREST} (0) is not a convolution in PIL and is not supported.
 */
public enum Resample {
    /** {@code Image.LANCZOS} = 1: truncated sinc, a = 3. */
    LANCZOS(1, 3.0),
    /** {@code Image.BILINEAR} = 2: triangle. */
    BILINEAR(2, 1.0),
    /** {@code Image.BICUBIC} = 3: Keys cubic with a = -0.5 (the CLIP default). */
    BICUBIC(3, 2.0),
    /** {@code Image.BOX} = 4. */
    BOX(4, 0.5),
    /** {@code Image.HAMMING} = 5. */
    HAMMING(5, 1.0);

    private final int pilCode;
    private final double support;

    Resample(int pilCode, double support) {
        this.pilCode = pilCode;
        this.support = support;
    }

    /** PIL's integer code for this filter. */
    public int pilCode() {
        return pilCode;
    }

    /** Kernel radius in source pixels at scale 1. */
    public double support() {
        return support;
    }

    /**
     * Looks a filter up by PIL code.
     *
     * @throws IllegalArgumentException for NEAREST (0) or an unknown code, naming the supported ones
     */
    public static Resample fromPilCode(int code) {
        for (Resample r : values()) {
            if (r.pilCode == code) {
                return r;
            }
        }
        throw new IllegalArgumentException("unsupported PIL resample code " + code + " (supported: "
                + Arrays.toString(Arrays.stream(values()).map(r -> r.pilCode + "=" + r).toArray()) + ")");
    }

    /** The kernel value at {@code x} (source-pixel units, already divided by the filter scale). */
    public double filter(double x) {
        switch (this) {
            case BOX:
                return (x > -0.5 && x <= 0.5) ? 1.0 : 0.0;
            case BILINEAR: {
                double ax = Math.abs(x);
                return ax < 1.0 ? 1.0 - ax : 0.0;
            }
            case HAMMING: {
                double ax = Math.abs(x);
                if (ax == 0.0) {
                    return 1.0;
                }
                if (ax >= 1.0) {
                    return 0.0;
                }
                ax = ax * Math.PI;
                return Math.sin(ax) / ax * (0.54 + 0.46 * Math.cos(ax));
            }
            case BICUBIC: {
                final double a = -0.5;
                double ax = Math.abs(x);
                if (ax < 1.0) {
                    return ((a + 2.0) * ax - (a + 3.0)) * ax * ax + 1;
                }
                if (ax < 2.0) {
                    return (((ax - 5) * ax + 8) * ax - 4) * a;
                }
                return 0.0;
            }
            case LANCZOS:
                return (-3.0 <= x && x < 3.0) ? sinc(x) * sinc(x / 3) : 0.0;
            default:
                throw new AssertionError(this);
        }
    }

    private static double sinc(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        x = x * Math.PI;
        return Math.sin(x) / x;
    }
}
