package dev.alignloop.diffusion.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alignloop.diffusion.safetensors.SafeTensors;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden traces made with diffusers v0.25.0's scheduler code (see golden/README.md): Euler, DPM-Solver
 * (orders 1-3, dpmsolver/dpmsolver++, midpoint/heun, Karras, Lu, lambda clipping, learned variance,
 * thresholding), DDIM (trailing/linspace, v-prediction, zero SNR, clipping, thresholding, eta) and DDPM
 * sampling with recorded noise, plus add_noise/get_velocity for other beta schedules. Tolerance 1e-4
 * as the parity contract.
 */
class SchedulerGoldenTest {
    private static final double TOLERANCE = 1e-4;

    static Stream<String> cases() throws IOException, URISyntaxException {
        try (Stream<Path> s = Files.list(root())) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    private static Path root() throws URISyntaxException {
        return Path.of(SchedulerGoldenTest.class.getResource("golden").toURI());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesDiffusers(String name) throws Exception {
        Path dir = root().resolve(name);
        JsonNode c = new ObjectMapper().readTree(dir.resolve("case.json").toFile());
        if (c.get("tool").asText().equals("scheduler-noise")) {
            checkNoise(dir);
        } else {
            checkTrace(dir, c.get("steps").asInt(), c.has("eta") ? c.get("eta").asDouble() : 0);
        }
    }

    private void checkTrace(Path dir, int steps, double eta) {
        try (NDManager m = NDManager.newBaseManager();
                Scheduler s = Schedulers.fromConfig(dir.resolve("scheduler"));
                SafeTensors exp = SafeTensors.open(dir.resolve("expected.safetensors"))) {
            Map<String, NDArray> in = SafeTensors.load(dir.resolve("inputs.safetensors"), m);
            if (s instanceof DDIMScheduler d) {
                d.setEta(eta);
            }
            s.setTimesteps(steps);
            float[] timesteps = s.timesteps();
            check(dir, "timesteps", timesteps, exp.readFloats("timesteps"));
            check(dir, "init_noise_sigma", new float[] {s.initNoiseSigma()}, exp.readFloats("init_noise_sigma"));
            NDArray latents = in.get("latents");
            float[] scaled = exp.readFloats("scaled_model_inputs");
            float[] trace = exp.readFloats("latents");
            int per = (int) latents.size();
            for (int i = 0; i < timesteps.length; i++) {
                float[] gotScaled = s.scaleModelInput(latents, timesteps[i]).toFloatArray();
                check(dir, "scaled_model_inputs[" + i + "]", gotScaled, slice(scaled, i, per));
                NoiseGenerator g = in.containsKey("variance_noise")
                        ? NoiseGenerator.replaying(in.get("variance_noise").get(i).toFloatArray())
                        : null;
                latents = s.step(in.get("model_outputs").get(i), timesteps[i], latents, g);
                check(dir, "latents[" + i + "]", latents.toFloatArray(), slice(trace, i, per));
            }
        }
    }

    private void checkNoise(Path dir) {
        SchedulerConfig config = SchedulerConfig.load(dir.resolve("scheduler"));
        NoiseSchedule schedule = NoiseSchedule.of(config);
        try (NDManager m = NDManager.newBaseManager();
                SafeTensors exp = SafeTensors.open(dir.resolve("expected.safetensors"))) {
            Map<String, NDArray> in = SafeTensors.load(dir.resolve("inputs.safetensors"), m);
            check(dir, "alphas_cumprod", schedule.alphasCumprod(), exp.readFloats("alphas_cumprod"));
            check(dir, "noisy", schedule.addNoise(in.get("original"), in.get("noise"), in.get("timesteps")).toFloatArray(),
                    exp.readFloats("noisy"));
            check(dir, "velocity",
                    schedule.velocity(in.get("original"), in.get("noise"), in.get("timesteps")).toFloatArray(),
                    exp.readFloats("velocity"));
        }
    }

    private static float[] slice(float[] all, int i, int per) {
        float[] out = new float[per];
        System.arraycopy(all, i * per, out, 0, per);
        return out;
    }

    private static void check(Path dir, String what, float[] got, float[] exp) {
        assertArrayEquals(new int[] {exp.length}, new int[] {got.length}, dir.getFileName() + " " + what + " size");
        double err = ParityAssert.error(got, exp);
        if (err > 0) {
            System.out.printf("golden %s %s: %.3e%n", dir.getFileName(), what, err);
        }
        assertTrue(err <= TOLERANCE, dir.getFileName() + " " + what + " error " + err);
    }
}
