package dev.alignloop.diffusion.pretrained;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.diffusion.safetensors.SafeTensors;
import dev.alignloop.diffusion.safetensors.TensorInfo;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helper: locates parity cases and compares outputs with the parity README's error measure. */
public final class ParityCases {
    private ParityCases() {
    }

    /** {@code <alignloop.parity.dir>/<name>}. */
    public static Path dir(String name) {
        return Path.of(System.getProperty("alignloop.parity.dir", "../parity"), name);
    }

    /** max|got - exp| / max(1, max|exp|). */
    public static double error(float[] got, float[] exp) {
        double diff = 0;
        double scale = 1;
        for (int i = 0; i < exp.length; i++) {
            diff = Math.max(diff, Math.abs((double) got[i] - exp[i]));
            scale = Math.max(scale, Math.abs(exp[i]));
        }
        return diff / scale;
    }

    /**
     * Compares every tensor of {@code expected} with the same-named tensor of {@code got} (shapes
     * equal, error within {@code tolerance}) and returns the error per tensor.
     */
    public static Map<String, Double> assertMatches(Path expected, Path got, double tolerance) {
        Map<String, Double> errors = new LinkedHashMap<>();
        try (SafeTensors e = SafeTensors.open(expected); SafeTensors g = SafeTensors.open(got)) {
            for (TensorInfo info : e.tensors().values()) {
                String n = info.name();
                assertTrue(g.contains(n), "output lacks " + n);
                assertArrayEquals(info.shape(), g.info(n).shape(), "shape of " + n);
                double err = error(g.readFloats(n), e.readFloats(n));
                errors.put(n, err);
            }
        }
        System.out.println("parity " + expected.getParent().getFileName() + ": " + errors);
        errors.forEach((n, err) -> assertTrue(err <= tolerance, n + ": error " + err + " > " + tolerance));
        return errors;
    }
}
