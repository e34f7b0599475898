package dev.alignloop.reward.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alignloop.reward.io.MiniSafetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code clip-preprocess-224} parity case, run through {@link ClipPreprocessTool} as the CLI does. */
class ClipPreprocessParityTest {

    private static final Logger LOG = LoggerFactory.getLogger(ClipPreprocessParityTest.class);

    static Path parityDir() {
        String prop = System.getProperty("alignloop.parity.dir");
        Path dir = prop != null ? Path.of(prop) : Path.of("..", "parity");
        assertTrue(Files.isDirectory(dir), "parity cases not found at " + dir.toAbsolutePath());
        return dir;
    }

    @Test
    void clipPreprocess224(@TempDir Path tmp) throws IOException {
        Path caseDir = parityDir().resolve("clip-preprocess-224");
        JsonNode spec = new ObjectMapper().readTree(caseDir.resolve("case.json").toFile());
        double tolerance = spec.get("tolerance").asDouble();
        Map<String, MiniSafetensors.Tensor> expected = MiniSafetensors.read(caseDir.resolve("expected.safetensors"));
        double worst = 0;
        for (int k = 0; k < spec.get("images").size(); k++) {
            Path out = tmp.resolve("out-" + k + ".safetensors");
            ClipPreprocessTool.run(caseDir.resolve("preprocessor_config.json"),
                    caseDir.resolve(spec.get("images").get(k).asText()), out);
            MiniSafetensors.Tensor got = MiniSafetensors.read(out).get("pixel_values");
            MiniSafetensors.Tensor exp = expected.get("pixel_values_" + k);
            assertArrayEquals(exp.shape(), got.shape(), "shape of pixel_values_" + k);
            double maxErr = 0;
            double maxAbs = 0;
            for (int i = 0; i < exp.values().length; i++) {
                maxErr = Math.max(maxErr, Math.abs(got.values()[i] - exp.values()[i]));
                maxAbs = Math.max(maxAbs, Math.abs(exp.values()[i]));
            }
            double err = maxErr / Math.max(1, maxAbs);
            LOG.info("clip-preprocess-224 image {}: error {}", k, err);
            worst = Math.max(worst, err);
            assertTrue(err <= tolerance, "pixel_values_" + k + " error " + err + " > " + tolerance);
        }
        // The port is bit-exact on the uint8 stage; what is left is float32 rounding of normalize().
        assertEquals(0.0, worst, "the PIL port reproduces the reference bit for bit; any error is a regression");
    }
}
