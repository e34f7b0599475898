package dev.alignloop.diffusion.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.diffusion.safetensors.SafeTensors;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/** The parity contract of parity/README.md: error = max|got - exp| / max(1, max|exp|) per tensor. */
final class ParityAssert {
    private ParityAssert() {
    }

    static Path caseDir(String name) {
        String root = System.getProperty("alignloop.parity.dir");
        Assumptions.assumeTrue(root != null, "alignloop.parity.dir not set");
        Path dir = Path.of(root, name);
        Assumptions.assumeTrue(dir.toFile().isDirectory(), "no parity case " + dir);
        return dir;
    }

    static double error(float[] got, float[] exp) {
        double maxDiff = 0;
        double maxAbs = 1;
        for (int i = 0; i < exp.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) got[i] - exp[i]));
            maxAbs = Math.max(maxAbs, Math.abs(exp[i]));
        }
        return maxDiff / maxAbs;
    }

    /** Compares every tensor of {@code expected} with {@code got}; returns the errors by name. */
    static Map<String, Double> assertParity(Path got, Path expected, double tolerance) {
        Map<String, Double> errors = new LinkedHashMap<>();
        try (SafeTensors g = SafeTensors.open(got); SafeTensors e = SafeTensors.open(expected)) {
            for (String name : e.tensors().keySet()) {
                assertTrue(g.contains(name), "missing output " + name);
                assertArrayEquals(e.info(name).shape(), g.info(name).shape(), "shape of " + name);
                double err = error(g.readFloats(name), e.readFloats(name));
                errors.put(name, err);
                System.out.printf("parity %s %s: %.3e%n", expected.getParent().getFileName(), name, err);
                assertTrue(err <= tolerance, name + " error " + err + " > " + tolerance);
            }
        }
        return errors;
    }
}
