package dev.alignloop.diffusion.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AdamWTest {
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void firstStepIsSignedLrPlusDecoupledDecay() {
        // step 1: m/bc1 = g and sqrt(v/bc2) = |g|, so p1 = p0 (1 - lr wd) - lr g / (|g| + eps)
        NDArray p = manager.create(new float[] {1f, -2f, 0.5f});
        NDArray g = manager.create(new float[] {0.5f, -3f, 0f});
        try (AdamW opt = new AdamW(AdamWConfig.defaults(), manager)) {
            opt.step(Map.of("w", p), Map.of("w", g), 0.1);
        }
        assertArrayEquals(new float[] {0.899f, -1.998f + 0.1f, 0.4995f}, p.toFloatArray(), 1e-6f);
    }

    @Test
    void matchesScalarReferenceOverSeveralSteps() {
        double lr = 0.01;
        AdamWConfig cfg = new AdamWConfig(0.8, 0.95, 1e-6, 0.1);
        double[] p = {0.3, -0.7, 1.2, 0.0};
        double[][] grads = {{0.1, -0.2, 0.3, 0.0}, {-0.5, 0.1, 0.2, 1e-3}, {0.05, 0.05, -0.4, 2.0}};
        double[] m = new double[4];
        double[] v = new double[4];
        NDArray param = manager.create(toFloat(p), new Shape(2, 2));
        try (AdamW opt = new AdamW(cfg, manager)) {
            for (int t = 1; t <= grads.length; t++) {
                for (int i = 0; i < 4; i++) {
                    double g = grads[t - 1][i];
                    p[i] *= 1 - lr * cfg.weightDecay();
                    m[i] = cfg.beta1() * m[i] + (1 - cfg.beta1()) * g;
                    v[i] = cfg.beta2() * v[i] + (1 - cfg.beta2()) * g * g;
                    double mhat = m[i] / (1 - Math.pow(cfg.beta1(), t));
                    double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(cfg.beta2(), t)) + cfg.eps();
                    p[i] -= lr * mhat / denom;
                }
                opt.step(Map.of("w", param), Map.of("w", manager.create(toFloat(grads[t - 1]), new Shape(2, 2))), lr);
                assertArrayEquals(toFloat(p), param.toFloatArray(), 2e-6f, "after step " + t);
            }
            assertEquals(3L, opt.stateDict().get("step.w").getLong());
        }
    }

    @Test
    void stateRoundTripContinuesIdentically() {
        Map<String, NDArray> grads = Map.of("a", manager.create(new float[] {0.1f, -0.3f}), "b.weight",
                manager.create(new float[] {1f, 2f, 3f}, new Shape(3, 1)));
        NDArray a1 = manager.create(new float[] {1f, 2f});
        NDArray b1 = manager.create(new float[] {0f, 1f, 2f}, new Shape(3, 1));
        NDArray a2 = a1.duplicate();
        NDArray b2 = b1.duplicate();
        try (AdamW first = new AdamW(AdamWConfig.defaults(), manager);
                AdamW resumed = new AdamW(AdamWConfig.defaults(), manager)) {
            first.step(params(a1, b1), grads, 1e-3);
            first.step(params(a1, b1), grads, 1e-3);
            Map<String, NDArray> saved = new HashMap<>();
            first.stateDict().forEach((k, v) -> saved.put(k, v.duplicate()));
            // the second optimizer took the same two steps' worth of state from the dict
            resumed.loadStateDict(saved);
            a2.set(a1.toFloatArray());
            b2.set(b1.toFloatArray());
            first.step(params(a1, b1), grads, 1e-3);
            resumed.step(params(a2, b2), grads, 1e-3);
            assertArrayEquals(a1.toFloatArray(), a2.toFloatArray());
            assertArrayEquals(b1.toFloatArray(), b2.toFloatArray());
            assertEquals(Map.of("exp_avg.a", 0, "exp_avg_sq.a", 0, "step.a", 0, "exp_avg.b.weight", 0,
                    "exp_avg_sq.b.weight", 0, "step.b.weight", 0).keySet(), resumed.stateDict().keySet());
        }
    }

    @Test
    void skipsParametersWithoutGradientAndRejectsBadState() {
        NDArray p = manager.create(new float[] {1f});
        try (AdamW opt = new AdamW(AdamWConfig.defaults(), manager)) {
            opt.step(Map.of("w", p), Map.of(), 0.1);
            assertArrayEquals(new float[] {1f}, p.toFloatArray());
            assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(Map.of("momentum.w", p)));
        }
        assertThrows(IllegalArgumentException.class, () -> new AdamWConfig(1.0, 0.9, 1e-8, 0));
    }

    private static Map<String, NDArray> params(NDArray a, NDArray b) {
        Map<String, NDArray> m = new LinkedHashMap<>();
        m.put("a", a);
        m.put("b.weight", b);
        return m;
    }

    static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
