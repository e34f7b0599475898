package dev.alignloop.diffusion.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/**
 * The float32 emulation of torch's schedule math checked against libtorch itself (through DJL's
 * PyTorch engine), and the numpy emulation against values numpy prints.
 */
class ReferenceMathTest {
    @Test
    void scalarLinspaceMatchesLibtorch271BitForBit() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[][] cases = {{0.0001, 0.02, 1000}, {Math.sqrt(0.00085), Math.sqrt(0.012), 1000}, {-6, 6, 1000},
                {0.00085, 0.012, 37}, {-6, 6, 77}, {1, 2, 2}, {3, 4, 1}};
            for (double[] c : cases) {
                float[] mine = ReferenceMath.torchLinspace(c[0], c[1], (int) c[2], 0);
                float[] torch;
                try (NDArray t = m.linspace((float) c[0], (float) c[1], (int) c[2])) {
                    torch = t.toFloatArray();
                }
                assertArrayEquals(torch, mine, "linspace(" + c[0] + ", " + c[1] + ", " + c[2] + ")");
            }
        }
    }

    @Test
    void cumprodMatchesLibtorchExactly() {
        float[] betas = ReferenceMath.torchLinspace(Math.sqrt(0.00085), Math.sqrt(0.012), 1000);
        float[] alphas = new float[betas.length];
        for (int i = 0; i < betas.length; i++) {
            alphas[i] = 1 - betas[i] * betas[i];
        }
        try (NDManager m = NDManager.newBaseManager(); NDArray a = m.create(alphas); NDArray c = a.cumProd(0)) {
            assertArrayEquals(c.toFloatArray(), ReferenceMath.torchCumprod(alphas));
        }
    }

    @Test
    void numpyLinspaceArangeAndInterp() {
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, ReferenceMath.npLinspace(0, 1, 5));
        // np.arange(1000, 0, -1000 / 3) -> [1000., 666.66666667, 333.33333333]
        double[] a = ReferenceMath.npArange(1000, 0, -1000.0 / 3);
        assertEquals(3, a.length);
        assertEquals(666.6666666666667, a[1], 1e-12);
        assertEquals(0, ReferenceMath.npArange(0, 10, -1).length);
        float[] fp = {0f, 10f, 30f};
        assertEquals(5.0, ReferenceMath.npInterpIndex(0.5, fp));
        assertEquals(30.0, ReferenceMath.npInterpIndex(2, fp));
        assertEquals(30.0, ReferenceMath.npInterpIndex(7, fp));
        assertEquals(0.0, ReferenceMath.npInterpIndex(-1, fp));
        assertEquals(500, ReferenceMath.npRoundToLong(499.5)); // half to even
        assertEquals(2, ReferenceMath.npRoundToLong(2.5));
    }
}
