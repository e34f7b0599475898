package dev.alignloop.shapes.judge;

import dev.alignloop.shapes.prompt.Background;
import dev.alignloop.shapes.prompt.ObjectColor;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * Per-pixel colour labels of an image.
 *
 * <p>The background colour b is the per-channel median of the border pixels. Every pixel p is
 * compared with each palette colour c along the mixing line b→c: an antialiased edge pixel is
 * {@code b + t (c - b)} for its coverage t, so {@code t} (the projection of p - b on c - b)
 * estimates coverage and the distance from the line measures how unlike c the pixel is. This is
 * exact for the renderer's edges on either background and degrades gracefully on generated images,
 * where hue-only thresholds would confuse dark or washed-out colours with the background.
 */
final class Segmentation {
    /** Label of pixels that belong to no palette colour. */
    static final int NONE = -1;
    private static final ObjectColor[] PALETTE = ObjectColor.values();

    final int width;
    final int height;
    final int[] rgb;
    /** Palette ordinal per pixel, or {@link #NONE}. */
    final int[] label;
    final double[] background;
    final Background backgroundClass;

    Segmentation(BufferedImage image, JudgeConfig config) {
        width = image.getWidth();
        height = image.getHeight();
        rgb = image.getRGB(0, 0, width, height, null, 0, width);
        background = borderMedian();
        double lum = 0.299 * background[0] + 0.587 * background[1] + 0.114 * background[2];
        backgroundClass = lum >= 128 ? Background.WHITE : Background.BLACK;
        label = new int[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            label[i] = classify(rgb[i], config);
        }
    }

    /**
     * The nearest mixing line wins first, and only then is its coverage thresholded: deciding
     * per colour ("any colour with t &gt;= 0.5") would let a faint red edge pixel, below the
     * threshold on its own line, be claimed by purple, whose line it projects further along.
     */
    private int classify(int p, JudgeConfig config) {
        int best = NONE;
        double bestResidual = Double.POSITIVE_INFINITY;
        double bestT = 0;
        for (int c = 0; c < PALETTE.length; c++) {
            double[] tr = project(p, PALETTE[c]);
            if (tr[0] > 0 && tr[1] < bestResidual) {
                best = c;
                bestResidual = tr[1];
                bestT = tr[0];
            }
        }
        if (best == NONE || bestT < config.coverageThreshold() || bestResidual > config.maxResidual()) {
            return NONE;
        }
        return best;
    }

    /** Coverage estimate of pixel {@code i} by colour {@code c}, clamped to [0, 1]. */
    double coverage(int i, ObjectColor c) {
        return Math.max(0, Math.min(1, project(rgb[i], c)[0]));
    }

    /**
     * {t, residual}: the position of p along b→c and its distance from that line relative to |c − b|.
     * A palette colour equal to the background (impossible with ours) would give t = 0.
     */
    private double[] project(int p, ObjectColor c) {
        double dr = c.red() - background[0];
        double dg = c.green() - background[1];
        double db = c.blue() - background[2];
        double pr = ((p >> 16) & 0xFF) - background[0];
        double pg = ((p >> 8) & 0xFF) - background[1];
        double pb = (p & 0xFF) - background[2];
        double dd = dr * dr + dg * dg + db * db;
        if (dd < 1) {
            return new double[] {0, Double.POSITIVE_INFINITY};
        }
        double t = (pr * dr + pg * dg + pb * db) / dd;
        double er = pr - t * dr;
        double eg = pg - t * dg;
        double eb = pb - t * db;
        return new double[] {t, Math.sqrt((er * er + eg * eg + eb * eb) / dd)};
    }

    private double[] borderMedian() {
        int count = height <= 1 || width <= 1 ? rgb.length : 2 * width + 2 * (height - 2);
        int[][] ch = new int[3][count];
        int k = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (y == 0 || y == height - 1 || x == 0 || x == width - 1) {
                    int p = rgb[y * width + x];
                    ch[0][k] = (p >> 16) & 0xFF;
                    ch[1][k] = (p >> 8) & 0xFF;
                    ch[2][k] = p & 0xFF;
                    k++;
                }
            }
        }
        double[] out = new double[3];
        for (int c = 0; c < 3; c++) {
            int[] v = Arrays.copyOf(ch[c], k);
            Arrays.sort(v);
            out[c] = v[k / 2];
        }
        return out;
    }
}
