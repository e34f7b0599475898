package dev.alignloop.diffusion.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.safetensors.SafeTensors;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Golden test against diffusers 0.25.0 reference tensors (parity/unet-sd15-tiny). */
class UNetParityTest {
    static final double TOLERANCE = 1e-4;

    static Path parityDir() {
        String dir = System.getProperty("alignloop.parity.dir");
        return dir != null ? Path.of(dir) : Path.of("../parity");
    }

    /** max|got - exp| / max(1, max|exp|), the parity contract's error. */
    static double error(float[] got, float[] exp) {
        assertEquals(exp.length, got.length, "element count");
        double maxDiff = 0;
        double maxExp = 0;
        for (int i = 0; i < exp.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) got[i] - exp[i]));
            maxExp = Math.max(maxExp, Math.abs(exp[i]));
        }
        return maxDiff / Math.max(1, maxExp);
    }

    @Test
    void sd15TinyMatchesDiffusers() {
        Path c = parityDir().resolve("unet-sd15-tiny");
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2DConditionModel unet = UNet2DConditionModel.fromPretrained(c.resolve("unet"), m);
            Map<String, NDArray> in = SafeTensors.load(c.resolve("inputs.safetensors"), m);
            NDArray out = unet.forward(in.get("sample"), in.get("timestep"), in.get("encoder_hidden_states"), null);
            float[] exp;
            try (SafeTensors e = SafeTensors.open(c.resolve("expected.safetensors"))) {
                exp = e.readFloats("sample");
            }
            assertEquals(in.get("sample").getShape(), out.getShape());
            double err = error(out.toFloatArray(), exp);
            System.out.println("unet-sd15-tiny parity error: " + err);
            assertTrue(err <= TOLERANCE, "parity error " + err);
        }
    }

    @Test
    void parityToolWritesSample(@TempDir Path tmp) {
        Path c = parityDir().resolve("unet-sd15-tiny");
        Path out = tmp.resolve("out.safetensors");
        UNetParityTool.run(c.resolve("unet"), c.resolve("inputs.safetensors"), out);
        try (SafeTensors got = SafeTensors.open(out); SafeTensors exp = SafeTensors.open(c.resolve("expected.safetensors"))) {
            assertTrue(error(got.readFloats("sample"), exp.readFloats("sample")) <= TOLERANCE);
        }
    }
}
