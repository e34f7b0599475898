package dev.alignloop.diffusion.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.alignloop.diffusion.safetensors.SafeTensors;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Golden tests against diffusers v0.25.0 tensors (parity/ddim-sd, parity/ddpm-noise-sd). */
class SchedulerParityTest {
    @TempDir
    Path tmp;

    @Test
    void ddimTraceMatchesDiffusers() {
        Path c = ParityAssert.caseDir("ddim-sd");
        Path out = tmp.resolve("out.safetensors");
        SchedulerParityTool.trace(c.resolve("scheduler"), 10, c.resolve("inputs.safetensors"), out);
        ParityAssert.assertParity(out, c.resolve("expected.safetensors"), 1e-4);
        try (SafeTensors st = SafeTensors.open(out)) {
            assertEquals(901f, st.readFloats("timesteps")[0]);
        }
    }

    @Test
    void ddpmAddNoiseAndVelocityMatchDiffusers() {
        Path c = ParityAssert.caseDir("ddpm-noise-sd");
        Path out = tmp.resolve("out.safetensors");
        SchedulerParityTool.noise(c.resolve("scheduler"), c.resolve("inputs.safetensors"), out);
        ParityAssert.assertParity(out, c.resolve("expected.safetensors"), 1e-4);
    }
}
