package dev.alignloop.diffusion.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ops against tiny cases computed by hand (double-precision loops in the test). */
class NnOpsTest {
    static NDManager manager;

    @BeforeAll
    static void start() {
        assertEquals("true", System.getProperty("ai.djl.offline"), "tests must run DJL offline");
        assertEquals("PyTorch", Engine.getInstance().getEngineName());
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    static void assertClose(double[] expected, NDArray got, double tol) {
        float[] g = got.toFloatArray();
        assertEquals(expected.length, g.length, "length");
        for (int i = 0; i < g.length; i++) {
            assertEquals(expected[i], g[i], tol, "element " + i);
        }
    }

    @Test
    void groupNormMatchesHandComputation() {
        // x [1, 4, 1, 2], 2 groups: group 0 = channels 0,1 = {1,2,3,4}; group 1 = {0,0,8,-4}
        float[] x = {1, 2, 3, 4, 0, 0, 8, -4};
        float[] w = {1, 2, 0.5f, -1};
        float[] b = {0, 1, -1, 0.25f};
        double eps = 1e-5;
        double[] exp = new double[8];
        for (int g = 0; g < 2; g++) {
            double mean = 0;
            for (int i = 0; i < 4; i++) {
                mean += x[g * 4 + i];
            }
            mean /= 4;
            double var = 0;
            for (int i = 0; i < 4; i++) {
                var += Math.pow(x[g * 4 + i] - mean, 2);
            }
            var /= 4; // biased, as torch
            for (int i = 0; i < 4; i++) {
                int c = (g * 4 + i) / 2;
                exp[g * 4 + i] = (x[g * 4 + i] - mean) / Math.sqrt(var + eps) * w[c] + b[c];
            }
        }
        try (NDManager m = manager.newSubManager()) {
            GroupNorm gn = new GroupNorm(m, 2, 4, (float) eps, true);
            gn.namedParameters().get("weight").set(m.create(w));
            gn.namedParameters().get("bias").set(m.create(b));
            NDArray y = gn.forward(m.create(x, new Shape(1, 4, 1, 2)));
            assertEquals(new Shape(1, 4, 1, 2), y.getShape());
            assertClose(exp, y, 1e-5);
        }
    }

    @Test
    void conv2dStrideAndPaddingMatchHandComputation() {
        // x [1,1,3,3] = 1..9, kernel 3x3 all ones + centre 1 extra, stride 2, padding 1 → [1,1,2,2]
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] k = {1, 1, 1, 1, 2, 1, 1, 1, 1};
        double[] exp = new double[4];
        for (int oy = 0; oy < 2; oy++) {
            for (int ox = 0; ox < 2; ox++) {
                double s = 0.5; // bias
                for (int ky = 0; ky < 3; ky++) {
                    for (int kx = 0; kx < 3; kx++) {
                        int iy = oy * 2 - 1 + ky;
                        int ix = ox * 2 - 1 + kx;
                        if (iy >= 0 && iy < 3 && ix >= 0 && ix < 3) {
                            s += x[iy * 3 + ix] * k[ky * 3 + kx];
                        }
                    }
                }
                exp[oy * 2 + ox] = s;
            }
        }
        try (NDManager m = manager.newSubManager()) {
            Conv2d conv = new Conv2d(m, 1, 1, 3, 2, 1);
            conv.namedParameters().get("weight").set(m.create(k, new Shape(1, 1, 3, 3)));
            conv.namedParameters().get("bias").set(m.create(new float[] {0.5f}));
            assertClose(exp, conv.forward(m.create(x, new Shape(1, 1, 3, 3))), 1e-5);
        }
    }

    @Test
    void attentionMatchesHandComputation() {
        // one head, L = 2 queries, S = 3 keys, d = 2
        float[] q = {1, 0, 0.5f, -1};
        float[] k = {1, 1, 0, 2, -1, 0};
        float[] v = {1, 2, 3, 4, 5, 6};
        double[] exp = new double[4];
        for (int i = 0; i < 2; i++) {
            double[] s = new double[3];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < 3; j++) {
                s[j] = (q[i * 2] * k[j * 2] + q[i * 2 + 1] * k[j * 2 + 1]) / Math.sqrt(2);
                max = Math.max(max, s[j]);
            }
            double z = 0;
            for (int j = 0; j < 3; j++) {
                s[j] = Math.exp(s[j] - max);
                z += s[j];
            }
            for (int c = 0; c < 2; c++) {
                double o = 0;
                for (int j = 0; j < 3; j++) {
                    o += s[j] / z * v[j * 2 + c];
                }
                exp[i * 2 + c] = o;
            }
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray out = F.scaledDotProductAttention(m.create(q, new Shape(1, 1, 2, 2)),
                    m.create(k, new Shape(1, 1, 3, 2)), m.create(v, new Shape(1, 1, 3, 2)), null);
            assertEquals(new Shape(1, 1, 2, 2), out.getShape());
            assertClose(exp, out, 1e-6);
            // boolean mask hiding key 0 for every query equals attention over keys 1..2 only
            NDArray mask = m.create(new boolean[] {false, true, true}).reshape(1, 1, 1, 3);
            NDArray masked = F.scaledDotProductAttention(m.create(q, new Shape(1, 1, 2, 2)),
                    m.create(k, new Shape(1, 1, 3, 2)), m.create(v, new Shape(1, 1, 3, 2)), mask);
            NDArray ref = F.scaledDotProductAttention(m.create(q, new Shape(1, 1, 2, 2)),
                    m.create(new float[] {0, 2, -1, 0}, new Shape(1, 1, 2, 2)),
                    m.create(new float[] {3, 4, 5, 6}, new Shape(1, 1, 2, 2)), null);
            assertArrayEquals(ref.toFloatArray(), masked.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void linearLayerNormActivationsAndUpsample() {
        try (NDManager m = manager.newSubManager()) {
            Linear lin = new Linear(m, 2, 1);
            lin.namedParameters().get("weight").set(m.create(new float[] {2, -1}, new Shape(1, 2)));
            lin.namedParameters().get("bias").set(m.create(new float[] {0.5f}));
            assertClose(new double[] {2 * 3 - 4 + 0.5}, lin.forward(m.create(new float[] {3, 4}, new Shape(1, 2))), 1e-6);

            LayerNorm ln = new LayerNorm(m, 4, 1e-5f, false);
            double mean = 2.5;
            double sd = Math.sqrt(1.25 + 1e-5);
            assertClose(new double[] {-1.5 / sd, -0.5 / sd, 0.5 / sd, 1.5 / sd},
                    ln.forward(m.create(new float[] {1, 2, 3, 4})), 1e-5);

            float[] xs = {-2, -0.5f, 0, 1, 3};
            double[] silu = new double[5];
            double[] gelu = new double[5];
            double[] geluTanh = new double[5];
            double[] quick = new double[5];
            for (int i = 0; i < 5; i++) {
                double x = xs[i];
                silu[i] = x / (1 + Math.exp(-x));
                gelu[i] = 0.5 * x * (1 + erf(x / Math.sqrt(2)));
                geluTanh[i] = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
                quick[i] = x / (1 + Math.exp(-1.702 * x));
            }
            NDArray a = m.create(xs);
            assertClose(silu, Activation.fromName("act_fn", "silu").apply(a), 1e-6);
            assertClose(gelu, Activation.GELU.apply(a), 1e-6);
            assertClose(geluTanh, Activation.fromName("hidden_act", "gelu_pytorch_tanh").apply(a), 1e-6);
            assertClose(quick, Activation.QUICK_GELU.apply(a), 1e-6);

            NDArray up = F.upsampleNearest2x(m.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2)));
            assertEquals(new Shape(1, 1, 4, 4), up.getShape());
            assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, up.toFloatArray());

            Embedding emb = new Embedding(m, 3, 2);
            emb.namedParameters().get("weight").set(m.create(new float[] {0, 1, 2, 3, 4, 5}, new Shape(3, 2)));
            assertArrayEquals(new float[] {4, 5, 0, 1}, emb.forward(m.create(new long[] {2, 0})).toFloatArray());

            Dropout drop = new Dropout(0.5f);
            drop.eval();
            assertArrayEquals(xs, drop.forward(a).toFloatArray());
            assertTrue(drop.train(true).isTraining());
        }
    }

    /** Abramowitz-Stegun 7.1.26 is too coarse; use a series/continued fraction good to 1e-12. */
    static double erf(double x) {
        double t = Math.abs(x);
        double sum = t;
        double term = t;
        for (int n = 1; n < 200; n++) {
            term *= -t * t / n;
            sum += term / (2 * n + 1);
        }
        double r = 2 / Math.sqrt(Math.PI) * sum;
        return x < 0 ? -r : r;
    }
}
