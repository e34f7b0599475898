package dev.alignloop.diffusion.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.alignloop.diffusion.safetensors.SafeTensors;
import java.nio.file.Files;
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

    /** The CLI entry points on the golden cases (all but DDIM eta, which the tool does not take). */
    @Test
    void parityToolsReproduceTheGoldenCases() throws Exception {
        Path golden = Path.of(getClass().getResource("golden").toURI());
        ObjectMapper om = new ObjectMapper();
        int n = 0;
        try (var cases = Files.list(golden)) {
            for (Path c : cases.filter(Files::isDirectory).sorted().toList()) {
                JsonNode spec = om.readTree(c.resolve("case.json").toFile());
                Path out = tmp.resolve(c.getFileName() + ".safetensors");
                if (spec.get("tool").asText().equals("scheduler-noise")) {
                    SchedulerParityTool.noise(c.resolve("scheduler"), c.resolve("inputs.safetensors"), out);
                } else if (!spec.has("eta")) {
                    SchedulerParityTool.trace(c.resolve("scheduler"), spec.get("steps").asInt(),
                            c.resolve("inputs.safetensors"), out);
                } else {
                    continue;
                }
                try (SafeTensors got = SafeTensors.open(out); SafeTensors exp = SafeTensors.open(c.resolve("expected.safetensors"))) {
                    for (String name : got.tensors().keySet()) {
                        double err = ParityAssert.error(got.readFloats(name), exp.readFloats(name));
                        assertTrue(err <= 1e-4, c.getFileName() + " " + name + " error " + err);
                    }
                }
                n++;
            }
        }
        assertEquals(32, n);
    }

    @Test
    void ddpmAddNoiseAndVelocityMatchDiffusers() {
        Path c = ParityAssert.caseDir("ddpm-noise-sd");
        Path out = tmp.resolve("out.safetensors");
        SchedulerParityTool.noise(c.resolve("scheduler"), c.resolve("inputs.safetensors"), out);
        ParityAssert.assertParity(out, c.resolve("expected.safetensors"), 1e-4);
    }
}
