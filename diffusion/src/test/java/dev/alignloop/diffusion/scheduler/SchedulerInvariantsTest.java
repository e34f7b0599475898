package dev.alignloop.diffusion.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Self-made invariants: the spacing table of arXiv:2305.08891 (Table 2) and numpy-computed timesteps,
 * known SD sigmas, and the perfect-model property: when the model returns the exact noise (or v, or x0)
 * of a fixed x0, every deterministic scheduler stays on the trajectory x_t = alpha_t x0 + sigma_t eps and
 * ends at x0 when the last sigma is 0.
 */
class SchedulerInvariantsTest {
    private static final String SD = "\"beta_start\": 0.00085, \"beta_end\": 0.012, \"beta_schedule\": \"scaled_linear\"";

    private static Scheduler of(String cls, String extra) {
        return Schedulers.fromJson("{\"_class_name\": \"" + cls + "\", " + SD + (extra.isEmpty() ? "" : ", " + extra) + "}");
    }

    private static float[] f(double... v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    @Test
    void spacingTableOfTheZeroSnrPaper() {
        Scheduler linspace = of("DDIMScheduler", "\"timestep_spacing\": \"linspace\"");
        linspace.setTimesteps(10);
        assertArrayEquals(f(999, 888, 777, 666, 555, 444, 333, 222, 111, 0), linspace.timesteps());
        Scheduler leading = of("DDIMScheduler", "\"timestep_spacing\": \"leading\"");
        leading.setTimesteps(10);
        assertArrayEquals(f(900, 800, 700, 600, 500, 400, 300, 200, 100, 0), leading.timesteps());
        Scheduler trailing = of("DDIMScheduler", "\"timestep_spacing\": \"trailing\"");
        trailing.setTimesteps(10);
        assertArrayEquals(f(999, 899, 799, 699, 599, 499, 399, 299, 199, 99), trailing.timesteps());
        trailing.setTimesteps(3);
        assertArrayEquals(f(999, 666, 332), trailing.timesteps());
        trailing.setTimesteps(7);
        assertArrayEquals(f(999, 856, 713, 570, 428, 285, 142), trailing.timesteps());
        Scheduler sd = of("DDIMScheduler", "\"steps_offset\": 1");
        sd.setTimesteps(50);
        assertEquals(981f, sd.timesteps()[0]);
        assertEquals(1f, sd.timesteps()[49]);
    }

    @Test
    void eulerAndDpmTimesteps() {
        Scheduler euler = of("EulerDiscreteScheduler", "");
        euler.setTimesteps(25);
        float[] t = euler.timesteps();
        assertArrayEquals(f(999, 957.375, 915.75, 874.125, 832.5, 790.875), java.util.Arrays.copyOf(t, 6));
        Scheduler dpm = of("DPMSolverMultistepScheduler", "");
        dpm.setTimesteps(10);
        // np.linspace(0, 999, 11).round()[::-1][:-1]: 499.5 rounds half to even
        assertArrayEquals(f(999, 899, 799, 699, 599, 500, 400, 300, 200, 100), dpm.timesteps());
        Scheduler leading = of("DPMSolverMultistepScheduler", "\"timestep_spacing\": \"leading\", \"steps_offset\": 1");
        leading.setTimesteps(10);
        assertArrayEquals(f(901, 811, 721, 631, 541, 451, 361, 271, 181, 91), leading.timesteps());
    }

    @Test
    void eulerSigmasOfStableDiffusion() {
        EulerDiscreteScheduler e = (EulerDiscreteScheduler) of("EulerDiscreteScheduler", "");
        e.setTimesteps(30);
        float[] s = e.sigmas();
        assertEquals(31, s.length);
        assertEquals(14.6146, s[0], 1e-4); // SD's sigma_max, the known init_noise_sigma of Euler + linspace
        assertEquals(s[0], e.initNoiseSigma());
        assertEquals(0.0292, s[29], 1e-4); // sigma at t = 0
        assertEquals(0f, s[30]);
        for (int i = 1; i < s.length; i++) {
            assertTrue(s[i] < s[i - 1], "sigmas decrease");
        }
        EulerDiscreteScheduler leading = (EulerDiscreteScheduler) of("EulerDiscreteScheduler",
                "\"timestep_spacing\": \"leading\", \"steps_offset\": 1");
        leading.setTimesteps(10);
        float max = leading.sigmas()[0];
        assertEquals((float) Math.sqrt(max * max + 1), leading.initNoiseSigma(), 1e-6);
        EulerDiscreteScheduler karras = (EulerDiscreteScheduler) of("EulerDiscreteScheduler", "\"use_karras_sigmas\": true");
        karras.setTimesteps(12);
        float[] k = karras.sigmas();
        assertEquals(14.6146, k[0], 1e-3);
        assertEquals(0.0292, k[11], 1e-4);
        for (int i = 1; i < k.length; i++) {
            assertTrue(k[i] < k[i - 1], "karras sigmas decrease");
        }
    }

    /**
     * DDIM only with {@code leading} spacing: DDIM steps to {@code t - T // n}, which with linspace or
     * trailing spacing is not the next timestep (diffusers' behaviour, reproduced by the golden traces).
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "DDIMScheduler|\"set_alpha_to_one\": true, \"clip_sample\": false",
        "DDIMScheduler|\"set_alpha_to_one\": true, \"clip_sample\": false, \"prediction_type\": \"v_prediction\"",
        "DDIMScheduler|\"set_alpha_to_one\": true, \"clip_sample\": false, \"prediction_type\": \"sample\", \"steps_offset\": 1",
        "EulerDiscreteScheduler|",
        "EulerDiscreteScheduler|\"prediction_type\": \"v_prediction\", \"timestep_spacing\": \"leading\"",
        "EulerDiscreteScheduler|\"use_karras_sigmas\": true, \"timestep_spacing\": \"trailing\"",
        "EulerDiscreteScheduler|\"prediction_type\": \"sample\"",
        "DPMSolverMultistepScheduler|\"final_sigmas_type\": \"zero\"",
        "DPMSolverMultistepScheduler|\"final_sigmas_type\": \"zero\", \"solver_order\": 3, \"use_karras_sigmas\": true",
        "DPMSolverMultistepScheduler|\"final_sigmas_type\": \"zero\", \"prediction_type\": \"v_prediction\", \"solver_type\": \"heun\"",
        "DPMSolverMultistepScheduler|\"algorithm_type\": \"dpmsolver\", \"prediction_type\": \"sample\"",
        "DPMSolverMultistepScheduler|\"solver_order\": 1, \"use_lu_lambdas\": true",
    })
    void perfectModelStaysOnTheTrajectoryAndRecoversX0(String spec) {
        String[] parts = spec.split("\\|", -1);
        Scheduler s = of(parts[0], parts[1]);
        PredictionType prediction = s.config().predictionType();
        int steps = 12;
        s.setTimesteps(steps);
        float[] t = s.timesteps();
        try (NDManager m = NDManager.newBaseManager(); s) {
            Shape shape = new Shape(2, 3, 4, 4);
            NDArray x0 = NoiseGenerator.ofSeeds(1, 2).randn(m, shape).tanh();
            NDArray eps = NoiseGenerator.ofSeeds(3, 4).randn(m, shape);
            NDArray latents = onTrajectory(s, x0, eps, 0, t);
            for (int i = 0; i < t.length; i++) {
                NDArray input = s.scaleModelInput(latents, t[i]);
                double[] as = alphaSigma(s, i, t);
                NDArray modelOutput = switch (prediction) {
                    case EPSILON -> eps;
                    case SAMPLE -> x0;
                    case V_PREDICTION -> eps.mul((float) as[0]).sub(x0.mul((float) as[1])); // v = alpha eps - sigma x0
                };
                // what the model sees is alpha_t x0 + sigma_t eps
                NDArray seen = x0.mul((float) as[0]).add(eps.mul((float) as[1]));
                assertTrue(ParityAssert.error(input.toFloatArray(), seen.toFloatArray()) < 1e-5, spec + " input " + i);
                latents = s.step(modelOutput, t[i], latents);
                NDArray expected = onTrajectory(s, x0, eps, i + 1, t);
                double err = ParityAssert.error(latents.toFloatArray(), expected.toFloatArray());
                assertTrue(err < 1e-4, spec + " step " + i + " off the trajectory by " + err);
            }
            boolean endsAtZero = s instanceof EulerDiscreteScheduler
                    || s instanceof DDIMScheduler
                    || s.config().finalSigmasType() == FinalSigmasType.ZERO;
            if (endsAtZero) {
                assertTrue(ParityAssert.error(latents.toFloatArray(), x0.toFloatArray()) < 1e-4, spec + " recovers x0");
            }
        }
    }

    /** (alpha, sigma) of the denoiser's view at step i. */
    private static double[] alphaSigma(Scheduler s, int i, float[] t) {
        if (s instanceof DDIMScheduler) {
            double ac = s.noiseSchedule().alphaCumprod((int) t[i]);
            return new double[] {Math.sqrt(ac), Math.sqrt(1 - ac)};
        }
        double sigma = s instanceof EulerDiscreteScheduler e ? e.sigmas()[i] : ((DPMSolverMultistepScheduler) s).sigmas()[i];
        double alpha = 1 / Math.sqrt(sigma * sigma + 1);
        return new double[] {alpha, sigma * alpha};
    }

    /** The noisy sample the scheduler holds before step i (i = t.length: after the last step). */
    private static NDArray onTrajectory(Scheduler s, NDArray x0, NDArray eps, int i, float[] t) {
        if (s instanceof DDIMScheduler) {
            double ac;
            if (i < t.length) {
                ac = s.noiseSchedule().alphaCumprod((int) t[i]);
            } else {
                int prev = (int) t[t.length - 1] - s.config().numTrainTimesteps() / t.length;
                ac = prev >= 0 ? s.noiseSchedule().alphaCumprod(prev) : 1.0; // set_alpha_to_one
            }
            return x0.mul((float) Math.sqrt(ac)).add(eps.mul((float) Math.sqrt(1 - ac)));
        }
        if (s instanceof EulerDiscreteScheduler e) {
            return x0.add(eps.mul(e.sigmas()[i])); // x = x0 + sigma eps
        }
        double sigma = ((DPMSolverMultistepScheduler) s).sigmas()[i];
        double alpha = 1 / Math.sqrt(sigma * sigma + 1);
        return x0.mul((float) alpha).add(eps.mul((float) (sigma * alpha)));
    }
}
