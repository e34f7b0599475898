package dev.alignloop.diffusion.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AdafactorTest {
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /** transformers' Adafactor on a [R, C] matrix, scalar code, beta1 = None. */
    private static final class Reference {
        final AdafactorConfig cfg;
        final double[][] p;
        final double[] row;
        final double[] col;
        int step;

        Reference(AdafactorConfig cfg, double[][] p) {
            this.cfg = cfg;
            this.p = p;
            this.row = new double[p.length];
            this.col = new double[p[0].length];
        }

        void step(double[][] g, double baseLr) {
            int r = p.length;
            int c = p[0].length;
            step++;
            double lr = baseLr * (cfg.scaleParameter() ? Math.max(cfg.eps2(), rms(p)) : 1.0);
            double beta2t = 1.0 - Math.pow(step, cfg.decayRate());
            double[][] u = new double[r][c];
            for (int i = 0; i < r; i++) {
                double s = 0;
                for (int j = 0; j < c; j++) {
                    s += g[i][j] * g[i][j] + cfg.eps1();
                }
                row[i] = beta2t * row[i] + (1 - beta2t) * s / c;
            }
            for (int j = 0; j < c; j++) {
                double s = 0;
                for (int i = 0; i < r; i++) {
                    s += g[i][j] * g[i][j] + cfg.eps1();
                }
                col[j] = beta2t * col[j] + (1 - beta2t) * s / r;
            }
            double rowMean = 0;
            for (double x : row) {
                rowMean += x / r;
            }
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < c; j++) {
                    u[i][j] = g[i][j] / Math.sqrt(row[i] / rowMean) / Math.sqrt(col[j]);
                }
            }
            double clip = Math.max(1.0, rms(u) / cfg.clipThreshold());
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < c; j++) {
                    double upd = u[i][j] / clip * lr;
                    p[i][j] += -cfg.weightDecay() * lr * p[i][j];
                    p[i][j] -= upd;
                }
            }
        }

        static double rms(double[][] a) {
            double s = 0;
            int n = 0;
            for (double[] row : a) {
                for (double x : row) {
                    s += x * x;
                    n++;
                }
            }
            return Math.sqrt(s) / Math.sqrt(n);
        }
    }

    private static float[] flat(double[][] a) {
        float[] f = new float[a.length * a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                f[i * a[0].length + j] = (float) a[i][j];
            }
        }
        return f;
    }

    @Test
    void factoredStepMatchesTransformersFormulas() {
        for (AdafactorConfig cfg : new AdafactorConfig[] {AdafactorConfig.defaults(), AdafactorConfig.diffusionDpoSdxl(0.01)}) {
            double[][] p0 = {{0.5, -0.25, 1.0}, {0.1, 0.2, -0.3}};
            double[][][] grads = {
                {{0.1, -0.2, 0.3}, {0.05, 0.0, -1.0}},
                {{-0.4, 0.1, 0.2}, {0.3, 0.3, 0.3}},
                {{1e-3, 2.0, -0.5}, {0.0, -0.1, 0.7}}};
            Reference ref = new Reference(cfg, new double[][] {p0[0].clone(), p0[1].clone()});
            NDArray p = manager.create(flat(p0), new Shape(2, 3));
            try (Adafactor opt = new Adafactor(cfg, manager)) {
                for (double[][] g : grads) {
                    ref.step(g, 0.05);
                    opt.step(Map.of("w", p), Map.of("w", manager.create(flat(g), new Shape(2, 3))), 0.05);
                    assertArrayEquals(flat(ref.p), p.toFloatArray(), 2e-6f, "step " + ref.step + " " + cfg);
                }
                Map<String, NDArray> st = opt.stateDict();
                assertEquals(new Shape(2), st.get("exp_avg_sq_row.w").getShape());
                assertEquals(new Shape(3), st.get("exp_avg_sq_col.w").getShape());
                assertArrayEquals(new float[] {(float) ref.row[0], (float) ref.row[1]},
                        st.get("exp_avg_sq_row.w").toFloatArray(), 1e-6f);
            }
        }
    }

    @Test
    void firstStepKnownValue() {
        // One element column per row: step 1 has beta2t = 0, so row = g^2 + eps1 and col = mean_i(g^2 + eps1).
        // p = [[1], [1]], g = [[3], [4]] -> row = [9, 16], mean 12.5, col = [12.5];
        // update = g / sqrt(row / 12.5) / sqrt(12.5) = g / |g| = [1, 1]; rms = 1 -> no clip;
        // scale_parameter: lr *= max(1e-3, rms(p) = 1); p = 1 - 0.1 = 0.9
        NDArray p = manager.create(new float[] {1f, 1f}, new Shape(2, 1));
        try (Adafactor opt = new Adafactor(AdafactorConfig.defaults(), manager)) {
            opt.step(Map.of("w", p), Map.of("w", manager.create(new float[] {3f, 4f}, new Shape(2, 1))), 0.1);
        }
        assertArrayEquals(new float[] {0.9f, 0.9f}, p.toFloatArray(), 1e-6f);
    }

    @Test
    void vectorUsesFullSecondMomentAndClipsByRms() {
        // 1-D: not factored. Step 1: exp_avg_sq = g^2 + eps1, update = sign(g) (rms 1, no clip), scaled by lr * max(1e-3, rms(p)).
        NDArray p = manager.create(new float[] {0f, 0f, 0f, 0f});
        try (Adafactor opt = new Adafactor(AdafactorConfig.defaults(), manager)) {
            opt.step(Map.of("b", p), Map.of("b", manager.create(new float[] {2f, -0.5f, 1f, -7f})), 0.1);
            // rms(p) = 0 -> param_scale = eps2 = 1e-3 -> step 1e-4
            assertArrayEquals(new float[] {-1e-4f, 1e-4f, -1e-4f, 1e-4f}, p.toFloatArray(), 1e-9f);
            assertEquals(new Shape(4), opt.stateDict().get("exp_avg_sq.b").getShape());
        }
        // clipping: second step with a gradient 100x the first. beta2t = 1 - 2^-0.8; u = g / sqrt(v); rms(u) > 1 -> divided by it.
        AdafactorConfig noScale = new AdafactorConfig(1e-30, 1e-3, 1.0, -0.8, null, 0, false);
        NDArray q = manager.create(new float[] {0f, 0f});
        try (Adafactor opt = new Adafactor(noScale, manager)) {
            opt.step(Map.of("b", q), Map.of("b", manager.create(new float[] {1f, 1f})), 1.0);
            assertArrayEquals(new float[] {-1f, -1f}, q.toFloatArray(), 1e-6f);
            opt.step(Map.of("b", q), Map.of("b", manager.create(new float[] {100f, 1f})), 1.0);
            double b2 = 1 - Math.pow(2, -0.8);
            double v0 = b2 * 1 + (1 - b2) * 1e4;
            double v1 = 1.0;
            double u0 = 100 / Math.sqrt(v0);
            double u1 = 1 / Math.sqrt(v1);
            double rms = Math.sqrt((u0 * u0 + u1 * u1) / 2);
            double clip = Math.max(1, rms);
            assertArrayEquals(new float[] {(float) (-1 - u0 / clip), (float) (-1 - u1 / clip)}, q.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void firstMomentAndStateRoundTrip() {
        AdafactorConfig cfg = new AdafactorConfig(1e-30, 1e-3, 1.0, -0.8, 0.9, 0.01, true);
        NDArray a = manager.randomNormal(new Shape(3, 2, 2));
        NDArray b = a.duplicate();
        NDArray g = manager.randomNormal(new Shape(3, 2, 2));
        try (Adafactor first = new Adafactor(cfg, manager); Adafactor second = new Adafactor(cfg, manager)) {
            first.step(Map.of("w", a), Map.of("w", g), 0.01);
            Map<String, NDArray> saved = new HashMap<>();
            first.stateDict().forEach((k, v) -> saved.put(k, v.duplicate()));
            assertEquals(java.util.Set.of("step.w", "RMS.w", "exp_avg.w", "exp_avg_sq_row.w", "exp_avg_sq_col.w"), saved.keySet());
            assertEquals(new Shape(3, 2), saved.get("exp_avg_sq_row.w").getShape());
            assertEquals(new Shape(3, 2), saved.get("exp_avg_sq_col.w").getShape());
            second.loadStateDict(saved);
            b.set(a.toFloatArray());
            first.step(Map.of("w", a), Map.of("w", g), 0.01);
            second.step(Map.of("w", b), Map.of("w", g), 0.01);
            assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        }
    }
}
