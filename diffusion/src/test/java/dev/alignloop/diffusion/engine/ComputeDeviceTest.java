package dev.alignloop.diffusion.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class ComputeDeviceTest {
    private static final String KEY = "alignloop.trainer.device";

    @Test
    void autoPicksTheFirstGpuWhenThereIsOne() {
        assertEquals(Device.cpu(), ComputeDevice.resolve("auto", KEY, 0));
        assertEquals(Device.gpu(0), ComputeDevice.resolve("auto", KEY, 2));
        assertEquals(Device.cpu(), ComputeDevice.resolve(null, KEY, 0));
        assertEquals(Device.cpu(), ComputeDevice.resolve(" CPU ", KEY, 2));
        assertEquals(Device.gpu(1), ComputeDevice.resolve("gpu:1", KEY, 2));
        assertEquals(Device.gpu(0), ComputeDevice.resolve("gpu", KEY, 1));
    }

    @Test
    void aMissingGpuOrAnUnknownValueIsAnErrorNamingTheKey() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> ComputeDevice.resolve("gpu", KEY, 0));
        assertTrue(none.getMessage().contains(KEY) && none.getMessage().contains("sees 0 GPU(s)"), none.getMessage());
        IllegalArgumentException index = assertThrows(IllegalArgumentException.class,
                () -> ComputeDevice.resolve("gpu:2", KEY, 2));
        assertTrue(index.getMessage().contains("sees 2 GPU(s)"), index.getMessage());
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> ComputeDevice.resolve("cuda", KEY, 1));
        assertTrue(typo.getMessage().contains(KEY + " must be auto, cpu, gpu or gpu:N, got 'cuda'"), typo.getMessage());
    }

    @Test
    void managersCreateArraysOnTheResolvedDevice() {
        Device d = ComputeDevice.resolve("auto", KEY); // the CPU here; the GPU with the cuda build on a GPU node
        try (NDManager m = ComputeDevice.newManager(d); NDArray a = m.ones(new ai.djl.ndarray.types.Shape(2))) {
            assertEquals(d, a.getDevice());
        }
    }
}
