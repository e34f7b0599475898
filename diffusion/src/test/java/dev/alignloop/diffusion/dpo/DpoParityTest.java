package dev.alignloop.diffusion.dpo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alignloop.diffusion.safetensors.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code dpo-step} parity case (official Diffusion-DPO loss and gradients made with
 * PyTorch/diffusers 0.25.0): loss, implicit_acc, model_diff, ref_diff and every UNet gradient
 * within the case's tolerance (max|got - exp| / max(1, max|exp|)).
 */
class DpoParityTest {
    @TempDir
    Path tmp;

    static Path parityDir() {
        String dir = System.getProperty("alignloop.parity.dir");
        return dir != null ? Path.of(dir) : Path.of("../parity");
    }

    @TestFactory
    Stream<DynamicTest> dpoStepCasesMatchPyTorch() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> cases = Files.list(parityDir())) {
            for (Path c : cases.sorted().toList()) {
                Path caseJson = c.resolve("case.json");
                if (!Files.isRegularFile(caseJson)) {
                    continue;
                }
                JsonNode spec = json.readTree(caseJson.toFile());
                if (!"dpo-step".equals(spec.path("tool").asText())) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(c.getFileName().toString(), () -> check(c, spec)));
            }
        }
        assertTrue(!tests.isEmpty(), "no dpo-step parity case under " + parityDir());
        return tests.stream();
    }

    private void check(Path c, JsonNode spec) {
        double beta = spec.path("beta").asDouble();
        double tolerance = spec.path("tolerance").asDouble();
        Path out = tmp.resolve(c.getFileName() + ".safetensors");
        DpoParityTool.run(c.resolve("policy"), c.resolve("ref"), beta, c.resolve("inputs.safetensors"), out);
        Map<String, Double> errors = new TreeMap<>();
        try (SafeTensors got = SafeTensors.open(out); SafeTensors exp = SafeTensors.open(c.resolve("expected.safetensors"))) {
            for (String name : exp.tensors().keySet()) {
                assertTrue(got.contains(name), "missing output " + name);
                assertEquals(exp.info(name).shape().length == 0 ? 1 : product(exp.info(name).shape()),
                        product(got.info(name).shape()), "element count of " + name);
                errors.put(name, error(got.readFloats(name), exp.readFloats(name)));
            }
        }
        String worst = errors.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        System.out.printf("%s: %d outputs, worst error %.2e on %s (loss %.2e, model_diff %.2e, ref_diff %.2e)%n",
                c.getFileName(), errors.size(), errors.get(worst), worst, errors.get("loss"), errors.get("model_diff"),
                errors.get("ref_diff"));
        assertEquals(0.0, errors.get("implicit_acc"), c.getFileName() + ": implicit_acc");
        assertTrue(errors.get(worst) <= tolerance, c.getFileName() + ": " + worst + " error " + errors.get(worst));
    }

    private static long product(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    static double error(float[] got, float[] exp) {
        double maxDiff = 0;
        double maxExp = 0;
        for (int i = 0; i < exp.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) got[i] - exp[i]));
            maxExp = Math.max(maxExp, Math.abs(exp[i]));
        }
        return maxDiff / Math.max(1, maxExp);
    }
}
