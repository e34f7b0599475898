package dev.alignloop.reward.image;

/**
 * A bit-exact port of Pillow's 8-bit {@code ImagingResample} ({@code libImaging/Resample.c}) for
 * interleaved RGB images: what {@code Image.resize(size, resample, reducing_gap=None)} returns.
 *
 * <p>Why a port and not Java2D: the reward model was trained on PIL-resized pixels, and PIL's
 * result depends on details no other library shares: the kernel is widened by the downscale
 * factor (antialiasing), coefficients are normalized per output pixel then quantized to 22-bit
 * fixed point, and the horizontal pass writes a uint8 intermediate (rounded and clipped) that the
 * vertical pass reads.
 */
public final class PilResampler {

    /** Fixed-point precision of PIL's 8-bit coefficients: {@code 32 - 8 - 2}. */
    static final int PRECISION_BITS = 32 - 8 - 2;

    private PilResampler() {
    }

    /**
     * Resizes an interleaved RGB image.
     *
     * @param rgb  {@code height * width * 3} bytes, row-major, R G B per pixel
     * @return {@code outHeight * outWidth * 3} bytes
     */
    public static byte[] resize(byte[] rgb, int width, int height, int outWidth, int outHeight, Resample filter) {
        if (width <= 0 || height <= 0 || outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("sizes must be positive: " + width + "x" + height
                    + " -> " + outWidth + "x" + outHeight);
        }
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("expected " + width * height * 3 + " bytes, got " + rgb.length);
        }
        boolean needHorizontal = outWidth != width;
        boolean needVertical = outHeight != height;
        Coeffs horiz = Coeffs.compute(width, outWidth, filter);
        Coeffs vert = Coeffs.compute(height, outHeight, filter);

        byte[] cur = rgb;
        int curW = width;
        int curH = height;
        if (needHorizontal) {
            // PIL only resamples the rows the vertical pass will read, and shifts its bounds.
            int yFirst = vert.bounds[0];
            int yLast = vert.bounds[outHeight * 2 - 2] + vert.bounds[outHeight * 2 - 1];
            for (int i = 0; i < outHeight; i++) {
                vert.bounds[i * 2] -= yFirst;
            }
            cur = horizontal(cur, curW, yFirst, yLast - yFirst, outWidth, horiz);
            curW = outWidth;
            curH = yLast - yFirst;
        }
        if (needVertical) {
            cur = vertical(cur, curW, outHeight, vert);
            curH = outHeight;
        }
        if (cur == rgb) {
            cur = rgb.clone();
        }
        assert curH == outHeight && curW == outWidth;
        return cur;
    }

    private static byte[] horizontal(byte[] in, int inW, int rowOffset, int rows, int outW, Coeffs c) {
        byte[] out = new byte[rows * outW * 3];
        int half = 1 << (PRECISION_BITS - 1);
        for (int y = 0; y < rows; y++) {
            int inRow = (y + rowOffset) * inW * 3;
            int outRow = y * outW * 3;
            for (int xx = 0; xx < outW; xx++) {
                int xmin = c.bounds[xx * 2];
                int xmax = c.bounds[xx * 2 + 1];
                int k0 = xx * c.ksize;
                int s0 = half;
                int s1 = half;
                int s2 = half;
                for (int x = 0; x < xmax; x++) {
                    int k = c.kk[k0 + x];
                    int p = inRow + (x + xmin) * 3;
                    s0 += (in[p] & 0xFF) * k;
                    s1 += (in[p + 1] & 0xFF) * k;
                    s2 += (in[p + 2] & 0xFF) * k;
                }
                int o = outRow + xx * 3;
                out[o] = clip8(s0);
                out[o + 1] = clip8(s1);
                out[o + 2] = clip8(s2);
            }
        }
        return out;
    }

    private static byte[] vertical(byte[] in, int w, int outH, Coeffs c) {
        byte[] out = new byte[outH * w * 3];
        int half = 1 << (PRECISION_BITS - 1);
        int stride = w * 3;
        for (int yy = 0; yy < outH; yy++) {
            int ymin = c.bounds[yy * 2];
            int ymax = c.bounds[yy * 2 + 1];
            int k0 = yy * c.ksize;
            for (int xx = 0; xx < w; xx++) {
                int s0 = half;
                int s1 = half;
                int s2 = half;
                int col = xx * 3;
                for (int y = 0; y < ymax; y++) {
                    int k = c.kk[k0 + y];
                    int p = (y + ymin) * stride + col;
                    s0 += (in[p] & 0xFF) * k;
                    s1 += (in[p + 1] & 0xFF) * k;
                    s2 += (in[p + 2] & 0xFF) * k;
                }
                int o = yy * stride + col;
                out[o] = clip8(s0);
                out[o + 1] = clip8(s1);
                out[o + 2] = clip8(s2);
            }
        }
        return out;
    }

    /** PIL's {@code clip8}: arithmetic shift out the fraction, clamp to [0, 255]. */
    private static byte clip8(int v) {
        int s = v >> PRECISION_BITS;
        return (byte) (s < 0 ? 0 : Math.min(s, 255));
    }

    /** Per-output-pixel source window and fixed-point weights ({@code precompute_coeffs}). */
    static final class Coeffs {
        final int ksize;
        final int[] bounds; // (xmin, count) per output pixel
        final int[] kk;     // (outSize, ksize) fixed-point weights

        private Coeffs(int ksize, int[] bounds, int[] kk) {
            this.ksize = ksize;
            this.bounds = bounds;
            this.kk = kk;
        }

        static Coeffs compute(int inSize, int outSize, Resample filter) {
            // box = (0, inSize) as PIL passes it: floats, subtracted in float then widened.
            float in0 = 0f;
            float in1 = inSize;
            double scale = (double) (in1 - in0) / outSize;
            double filterscale = Math.max(scale, 1.0); // antialias only when downscaling
            double support = filter.support() * filterscale;
            int ksize = (int) Math.ceil(support) * 2 + 1;
            int[] bounds = new int[outSize * 2];
            int[] kk = new int[outSize * ksize];
            double[] k = new double[ksize];
            for (int xx = 0; xx < outSize; xx++) {
                double center = in0 + (xx + 0.5) * scale;
                double ww = 0.0;
                double ss = 1.0 / filterscale;
                int xmin = Math.max((int) (center - support + 0.5), 0); // C cast truncates like Java's
                int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
                for (int x = 0; x < xmax; x++) {
                    double w = filter.filter((x + xmin - center + 0.5) * ss);
                    k[x] = w;
                    ww += w;
                }
                for (int x = 0; x < xmax; x++) {
                    double v = ww != 0.0 ? k[x] / ww : k[x];
                    // normalize_coeffs_8bpc: round half away from zero to 22-bit fixed point
                    kk[xx * ksize + x] = v < 0
                            ? (int) (-0.5 + v * (1 << PRECISION_BITS))
                            : (int) (0.5 + v * (1 << PRECISION_BITS));
                }
                bounds[xx * 2] = xmin;
                bounds[xx * 2 + 1] = xmax;
            }
            return new Coeffs(ksize, bounds, kk);
        }
    }
}
