package dev.alignloop.reward.onnx;

import static dev.alignloop.reward.onnx.TinyClipSpec.CONV_BIAS;
import static dev.alignloop.reward.onnx.TinyClipSpec.CONV_WEIGHT;
import static dev.alignloop.reward.onnx.TinyClipSpec.LOGIT_SCALE;
import static dev.alignloop.reward.onnx.TinyClipSpec.POSITION_BIAS;
import static dev.alignloop.reward.onnx.TinyClipSpec.POSITION_EMBEDDING;
import static dev.alignloop.reward.onnx.TinyClipSpec.TEXT_FC_BIAS;
import static dev.alignloop.reward.onnx.TinyClipSpec.TEXT_FC_WEIGHT;
import static dev.alignloop.reward.onnx.TinyClipSpec.TEXT_PROJECTION;
import static dev.alignloop.reward.onnx.TinyClipSpec.TOKEN_EMBEDDING;
import static dev.alignloop.reward.onnx.TinyClipSpec.VISUAL_PROJECTION;

import java.util.Map;

/**
 * The {@link TinyClipSpec} math in plain Java (double precision), one example at a time: the
 * golden reference for the ONNX export, and for a DJL/PyTorch training implementation of the same
 * model. Slow by design; never used for serving.
 */
public final class TinyClipReference {

    private final TinyClipSpec spec;
    private final Map<String, float[]> w;

    /** A reference model over the given weights (checked). */
    public TinyClipReference(TinyClipSpec spec, Map<String, float[]> weights) {
        TinyClipOnnx.checkWeights(spec, weights);
        this.spec = spec;
        this.w = Map.copyOf(weights);
    }

    /** {@code exp(logit_scale) * cos(text, image)} for one example. */
    public double score(long[] inputIds, long[] attentionMask, float[] pixelsChw) {
        double[] t = textEmbeds(inputIds, attentionMask);
        double[] v = imageEmbeds(pixelsChw);
        return Math.exp(w.get(LOGIT_SCALE)[0]) * dot(t, v) / Math.sqrt(dot(t, t) * dot(v, v));
    }

    /** Text projection {@code [P]} (unnormalized). */
    public double[] textEmbeds(long[] ids, long[] mask) {
        int d = spec.embedDim();
        int f = spec.textFeatures();
        if (ids.length != mask.length || (spec.textPositions() && ids.length > spec.maxLength())) {
            throw new IllegalArgumentException("bad sequence length " + ids.length + " / " + mask.length);
        }
        double[] pooled = new double[f];
        double count = 0;
        for (int l = 0; l < ids.length; l++) {
            double[] x = new double[d];
            for (int i = 0; i < d; i++) {
                x[i] = w.get(TOKEN_EMBEDDING)[(int) ids[l] * d + i]
                        + (spec.textPositions() ? w.get(POSITION_EMBEDDING)[l * d + i] : 0);
            }
            if (spec.textHidden() > 0) {
                x = gelu(linear(x, w.get(TEXT_FC_WEIGHT), w.get(TEXT_FC_BIAS), spec.textHidden()));
            }
            for (int i = 0; i < f; i++) {
                pooled[i] += mask[l] * x[i];
            }
            count += mask[l];
        }
        count = Math.max(count, 1);
        for (int i = 0; i < f; i++) {
            pooled[i] /= count;
        }
        return linear(pooled, w.get(TEXT_PROJECTION), null, spec.projectionDim());
    }

    /** Image projection {@code [P]} (unnormalized) of one {@code [3, N, N]} image. */
    public double[] imageEmbeds(float[] chw) {
        int n = spec.imageSize();
        int k = spec.kernel();
        int pad = k / 2;
        int s = spec.convOutSize();
        int c = spec.channels();
        if (chw.length != 3 * n * n) {
            throw new IllegalArgumentException("expected [3, " + n + ", " + n + "] pixels, got " + chw.length + " values");
        }
        float[] cw = w.get(CONV_WEIGHT);
        double[] pooled = new double[c];
        for (int o = 0; o < c; o++) {
            double acc = 0;
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < s; j++) {
                    double h = w.get(CONV_BIAS)[o];
                    for (int ci = 0; ci < 3; ci++) {
                        for (int ki = 0; ki < k; ki++) {
                            int y = i * spec.stride() + ki - pad;
                            if (y < 0 || y >= n) {
                                continue;
                            }
                            for (int kj = 0; kj < k; kj++) {
                                int x = j * spec.stride() + kj - pad;
                                if (x >= 0 && x < n) {
                                    h += cw[((o * 3 + ci) * k + ki) * k + kj] * (double) chw[(ci * n + y) * n + x];
                                }
                            }
                        }
                    }
                    if (spec.imagePositions()) {
                        h += w.get(POSITION_BIAS)[(o * s + i) * s + j];
                    }
                    acc += Math.max(h, 0);
                }
            }
            pooled[o] = acc / (s * s);
        }
        return linear(pooled, w.get(VISUAL_PROJECTION), null, spec.projectionDim());
    }

    /** {@code x @ weight^T + bias} with a PyTorch {@code [out, in]} weight. */
    private static double[] linear(double[] x, float[] weight, float[] bias, int out) {
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double acc = bias == null ? 0 : bias[o];
            for (int i = 0; i < x.length; i++) {
                acc += weight[o * x.length + i] * x[i];
            }
            y[o] = acc;
        }
        return y;
    }

    private static double[] gelu(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 0.5 * x[i] * (1 + erf(x[i] / Math.sqrt(2)));
        }
        return y;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * erf to ~1e-15: Maclaurin series for |x| &lt; 3, continued fraction of erfc beyond
     * (Java has no erf).
     */
    static double erf(double x) {
        double ax = Math.abs(x);
        double r;
        if (ax < 3) {
            double term = ax;
            double sum = ax;
            double x2 = ax * ax;
            for (int n = 1; n < 100 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
                term *= -x2 / n;
                sum += term / (2 * n + 1);
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
            double f = ax;
            for (int n = 60; n >= 1; n--) {
                f = ax + (n / 2.0) / f;
            }
            r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
        }
        return x < 0 ? -r : r;
    }
}
