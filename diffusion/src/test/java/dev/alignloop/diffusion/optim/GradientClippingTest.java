package dev.alignloop.diffusion.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GradientClippingTest {
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
    void scalesByGlobalNormWhenAboveMax() {
        NDArray a = manager.create(new float[] {3f, 0f});
        NDArray b = manager.create(new float[] {0f, 4f});
        double total = GradientClipping.clipGradNorm(List.of(a, b), 1.0);
        assertEquals(5.0, total, 1e-6);
        double coef = 1.0 / (5.0 + 1e-6);
        assertArrayEquals(new float[] {(float) (3 * coef), 0f}, a.toFloatArray(), 1e-7f);
        assertArrayEquals(new float[] {0f, (float) (4 * coef)}, b.toFloatArray(), 1e-7f);
    }

    @Test
    void leavesSmallGradientsAlone() {
        NDArray a = manager.create(new float[] {0.3f, -0.4f});
        assertEquals(0.5, GradientClipping.clipGradNorm(List.of(a), 1.0), 1e-6);
        assertArrayEquals(new float[] {0.3f, -0.4f}, a.toFloatArray());
    }

    @Test
    void infinityNormUsesTheLargestEntry() {
        NDArray a = manager.create(new float[] {1f, -8f});
        NDArray b = manager.create(new float[] {2f});
        assertEquals(8.0, GradientClipping.clipGradNorm(List.of(a, b), 2.0, Double.POSITIVE_INFINITY), 1e-6);
        assertArrayEquals(new float[] {0.25f, -2f}, a.toFloatArray(), 1e-6f);
    }

    @Test
    void accumulationCountsMicroSteps() {
        GradientAccumulation acc = new GradientAccumulation(3);
        assertEquals(1.0 / 3, acc.lossScale());
        assertFalse(acc.microStep());
        assertFalse(acc.microStep());
        assertTrue(acc.microStep());
        assertEquals(0, acc.pending());
        acc.restore(2);
        assertTrue(acc.microStep());
    }
}
