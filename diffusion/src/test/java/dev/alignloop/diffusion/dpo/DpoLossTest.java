package dev.alignloop.diffusion.dpo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DpoLossTest {
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /** [2B, 1, 1, 2] predictions from rows of two values. */
    private static NDArray rows(float[][] v) {
        float[] flat = new float[v.length * 2];
        for (int i = 0; i < v.length; i++) {
            flat[2 * i] = v[i][0];
            flat[2 * i + 1] = v[i][1];
        }
        return manager.create(flat, new Shape(v.length, 1, 1, 2));
    }

    private static double mse(float[] p, float[] t) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            s += (p[i] - t[i]) * (double) (p[i] - t[i]);
        }
        return s / p.length;
    }

    private static double logSigmoid(double x) {
        return Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));
    }

    @Test
    void matchesHandComputedValues() {
        float[][] model = {{0.5f, -1f}, {2f, 0f}, {1f, 1f}, {0f, 0.5f}};
        float[][] ref = {{0.2f, -0.5f}, {1f, 1f}, {0.7f, 0.9f}, {0.5f, 0f}};
        float[][] target = {{0.3f, -0.8f}, {1.5f, 0.2f}, {0.1f, 0.4f}, {0.2f, 0.1f}};
        double beta = 2.5;
        DpoLossOutput out = DpoLoss.dpo(rows(model), rows(ref), rows(target), beta);
        double[] modelDiff = new double[2];
        double[] refDiff = new double[2];
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < 2; i++) {
            modelDiff[i] = mse(model[i], target[i]) - mse(model[i + 2], target[i + 2]);
            refDiff[i] = mse(ref[i], target[i]) - mse(ref[i + 2], target[i + 2]);
            double inside = -0.5 * beta * (modelDiff[i] - refDiff[i]);
            loss += -logSigmoid(inside) / 2;
            correct += inside > 0 ? 1 : 0;
        }
        float[] md = out.modelDiff().toFloatArray();
        float[] rd = out.refDiff().toFloatArray();
        for (int i = 0; i < 2; i++) {
            assertEquals(modelDiff[i], md[i], 1e-6);
            assertEquals(refDiff[i], rd[i], 1e-6);
        }
        assertEquals(loss, out.loss().getFloat(), 1e-6);
        assertEquals(correct / 2.0, out.implicitAcc().getFloat(), 0);
        assertEquals(new Shape(), out.loss().getShape());
        DpoMetrics m = out.metrics(0.25);
        assertEquals((mse(model[0], target[0]) + mse(model[1], target[1])) / 2, m.modelMseWinner(), 1e-6);
        assertEquals((mse(ref[2], target[2]) + mse(ref[3], target[3])) / 2, m.refMseLoser(), 1e-6);
        assertEquals(0.25, m.labelMargin());
        assertEquals(0.5 * (m.modelMseWinner() + m.modelMseLoser()), m.rawModelLoss(), 1e-12);
    }

    @Test
    void policyEqualToReferenceGivesLn2AndZeroAccuracy() {
        NDArray pred = manager.randomNormal(new Shape(6, 4, 8, 8));
        NDArray target = manager.randomNormal(new Shape(6, 4, 8, 8));
        DpoLossOutput out = DpoLoss.dpo(pred, pred.duplicate(), target, 5000);
        assertEquals(Math.log(2), out.loss().getFloat(), 1e-6);
        // inside == 0 exactly, and (0 > 0) is false for every pair
        assertEquals(0f, out.implicitAcc().getFloat());
        assertArrayEquals(new float[3], out.insideTerm().abs().toFloatArray());
    }

    @Test
    void largeBetaSaturatesWithoutOverflow() {
        // pair 0: policy prefers the winner by 0.1 in MSE (inside = +0.5 * beta * 0.1);
        // pair 1: prefers the loser by 0.1 (inside = -0.5 * beta * 0.1). beta = 1e5 -> inside = +-5000.
        float[][] target = {{0f, 0f}, {0f, 0f}, {0f, 0f}, {0f, 0f}};
        float[] a = {0f, (float) Math.sqrt(0.2)}; // MSE 0.1
        float[] z = {0f, 0f};
        float[][] model = {z, a, a, z};
        float[][] ref = {z, z, z, z};
        DpoLossOutput out = DpoLoss.dpo(rows(model), rows(ref), rows(target), 1e5);
        float[] inside = out.insideTerm().toFloatArray();
        assertEquals(5000, inside[0], 0.05);
        assertEquals(-5000, inside[1], 0.05);
        // -logsigmoid(5000) = 0 (to float precision), -logsigmoid(-5000) = 5000: loss = 2500
        assertEquals(-inside[1] / 2, out.loss().getFloat(), 1e-3);
        assertEquals(2500, out.loss().getFloat(), 0.05);
        assertEquals(0.5f, out.implicitAcc().getFloat());
        float[] ls = DpoLoss.logSigmoid(manager.create(new float[] {-1e4f, -100f, -20f, 0f, 20f, 100f, 1e4f})).toFloatArray();
        double[] expected = {-1e4, -100, logSigmoid(-20), -Math.log(2), logSigmoid(20), logSigmoid(100), 0};
        for (int i = 0; i < ls.length; i++) {
            assertTrue(Float.isFinite(ls[i]));
            assertEquals(expected[i], ls[i], Math.max(1e-6, 1e-6 * Math.abs(expected[i])), "logsigmoid " + i);
        }
    }

    @Test
    void gradientMatchesTheClosedForm() {
        // dL/dpred_w = 0.5 beta sigmoid(-inside) * 2 (pred_w - t) / (n B); dL/dpred_l has the opposite sign
        NDArray model = manager.randomNormal(new Shape(4, 2, 3, 3));
        NDArray ref = manager.randomNormal(new Shape(4, 2, 3, 3));
        NDArray target = manager.randomNormal(new Shape(4, 2, 3, 3));
        double beta = 3.0;
        model.setRequiresGradient(true);
        DpoLossOutput out;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            out = DpoLoss.dpo(model, ref, target, beta);
            gc.backward(out.loss());
        }
        float[] grad = model.getGradient().toFloatArray();
        float[] p = model.toFloatArray();
        float[] t = target.toFloatArray();
        float[] inside = out.insideTerm().toFloatArray();
        int n = 18;
        for (int row = 0; row < 4; row++) {
            int pair = row % 2;
            double sig = 1 / (1 + Math.exp(inside[pair]));
            double sign = row < 2 ? 1 : -1;
            for (int k = 0; k < n; k++) {
                int i = row * n + k;
                double expected = sign * 0.5 * beta * sig * 2 * (p[i] - t[i]) / (n * 2.0);
                assertEquals(expected, grad[i], 1e-6, "grad at " + i);
            }
        }
    }

    @Test
    void sftIsPlainMse() {
        NDArray pred = manager.create(new float[] {1f, 2f, 3f, 4f}, new Shape(2, 1, 1, 2));
        NDArray target = manager.create(new float[] {0f, 0f, 1f, 1f}, new Shape(2, 1, 1, 2));
        assertEquals((1 + 4 + 4 + 9) / 4.0, DpoLoss.sft(pred, target).getFloat(), 1e-6);
    }

    @Test
    void rejectsOddBatchesMismatchedShapesAndBadBeta() {
        NDArray three = manager.zeros(new Shape(3, 1, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> DpoLoss.dpo(three, three, three, 1));
        NDArray four = manager.zeros(new Shape(4, 1, 2, 2));
        NDArray other = manager.zeros(new Shape(4, 1, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> DpoLoss.dpo(four, other, four, 1));
        assertThrows(IllegalArgumentException.class, () -> DpoLoss.dpo(four, four, four, 0));
        assertThrows(IllegalArgumentException.class, () -> DpoLoss.dpo(four, four, four, Double.NaN));
    }
}
