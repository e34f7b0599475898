package dev.alignloop.diffusion.dpo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.safetensors.HostTensor;
import dev.alignloop.diffusion.safetensors.SafeTensorsWriter;
import dev.alignloop.diffusion.scheduler.DDPMScheduler;
import dev.alignloop.diffusion.scheduler.SchedulerConfig;
import dev.alignloop.diffusion.unet.AddedCond;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DpoTrainingStepTest {
    private NDManager m;

    @BeforeEach
    void start() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void stop() {
        m.close();
    }

    private static DDPMScheduler scheduler(String predictionType) {
        return new DDPMScheduler(SchedulerConfig.parse("{\"_class_name\": \"DDPMScheduler\", \"beta_schedule\": \"scaled_linear\","
                + " \"beta_start\": 0.00085, \"beta_end\": 0.012, \"prediction_type\": \"" + predictionType + "\"}"));
    }

    /** Records its inputs (host copies) and predicts {@code scale * sample}. */
    private static final class Recording implements Denoiser {
        final List<float[]> samples = new ArrayList<>();
        final List<long[]> timesteps = new ArrayList<>();
        final List<float[]> contexts = new ArrayList<>();
        final List<float[]> textEmbeds = new ArrayList<>();
        final float scale;

        Recording(float scale) {
            this.scale = scale;
        }

        @Override
        public NDArray predict(NDArray sample, NDArray t, NDArray context, AddedCond added) {
            samples.add(sample.toFloatArray());
            timesteps.add(t.toLongArray());
            contexts.add(context.toFloatArray());
            if (added != null) {
                textEmbeds.add(added.textEmbeds().toFloatArray());
            }
            return sample.mul(scale);
        }
    }

    private DpoBatch batch(int pairs, boolean sdxl) {
        Shape s = new Shape(pairs, 2, 3, 3);
        NDArray xw = m.randomUniform(-1, 1, s);
        NDArray xl = m.randomUniform(-1, 1, s);
        NDArray noise = m.randomNormal(s);
        NDArray t = m.create(new long[] {10, 500, 999, 0}).get("0:" + pairs);
        NDArray ctx = m.randomNormal(new Shape(pairs, 3, 4));
        if (!sdxl) {
            return DpoBatch.of(xw, xl, noise, t, ctx);
        }
        return new DpoBatch(xw, xl, noise, t, ctx, m.randomNormal(new Shape(pairs, 5)), m.randomNormal(new Shape(pairs, 6)),
                m.create(new float[] {0.5f, 1.5f}).get("0:" + pairs));
    }

    @Test
    void doublesTheBatchLikeTheOfficialScriptAndFeedsBothModelsTheSameInputs() {
        DDPMScheduler sched = scheduler("epsilon");
        DpoBatch b = batch(2, true);
        Recording policy = new Recording(1f);
        Recording ref = new Recording(0.5f);
        DpoStepResult r = new DpoTrainingStep(TrainMethod.DPO, 10, sched).evaluate(policy, ref, b);

        NDArray latents = b.xW().concat(b.xL(), 0);
        NDArray noise = b.noise().concat(b.noise(), 0);
        NDArray t = b.timesteps().concat(b.timesteps(), 0);
        float[] noisy = sched.addNoise(latents, noise, t).toFloatArray();
        assertArrayEquals(noisy, policy.samples.get(0));
        assertArrayEquals(noisy, ref.samples.get(0));
        assertArrayEquals(new long[] {10, 500, 10, 500}, policy.timesteps.get(0));
        assertArrayEquals(b.encoderHiddenStates().concat(b.encoderHiddenStates(), 0).toFloatArray(), policy.contexts.get(0));
        assertArrayEquals(b.textEmbeds().concat(b.textEmbeds(), 0).toFloatArray(), ref.textEmbeds.get(0));

        // epsilon target: mse of (scale * noisy - noise), recomputed by hand
        float[] eps = noise.toFloatArray();
        int n = 18;
        double[] mse = new double[8];
        for (int row = 0; row < 4; row++) {
            for (int k = 0; k < n; k++) {
                int i = row * n + k;
                double dp = noisy[i] - eps[i];
                double dr = 0.5 * noisy[i] - eps[i];
                mse[row] += dp * dp / n;
                mse[4 + row] += dr * dr / n;
            }
        }
        for (int pair = 0; pair < 2; pair++) {
            assertEquals(mse[pair] - mse[pair + 2], r.modelDiff()[pair], 1e-5);
            assertEquals(mse[4 + pair] - mse[4 + pair + 2], r.refDiff()[pair], 1e-5);
        }
        assertEquals(1.0, r.metrics().labelMargin(), 1e-6);
        assertEquals((mse[0] + mse[1]) / 2, r.metrics().modelMseWinner(), 1e-5);
    }

    @Test
    void vPredictionRegressesTheVelocity() {
        DDPMScheduler sched = scheduler("v_prediction");
        DpoBatch b = batch(2, false);
        NDArray velocity = sched.getVelocity(b.xW().concat(b.xL(), 0), b.noise().concat(b.noise(), 0),
                b.timesteps().concat(b.timesteps(), 0));
        Denoiser perfect = (s, t, c, a) -> velocity.duplicate();
        Denoiser zero = (s, t, c, a) -> s.zerosLike();
        DpoStepResult r = new DpoTrainingStep(TrainMethod.DPO, 10, sched).evaluate(perfect, zero, b);
        assertEquals(0.0, r.metrics().modelMseWinner(), 1e-12);
        assertEquals(0.0, r.metrics().modelMseLoser(), 1e-12);
        float[] v = velocity.toFloatArray();
        double refW0 = 0;
        for (int i = 0; i < 18; i++) {
            refW0 += v[i] * (double) v[i] / 18;
        }
        assertTrue(Math.abs(r.metrics().refMseWinner()) > 0);
        double refL0 = 0;
        for (int i = 36; i < 54; i++) {
            refL0 += v[i] * (double) v[i] / 18;
        }
        assertEquals(refW0 - refL0, r.refDiff()[0], 1e-5);
    }

    @Test
    void sftTrainsOnWinnersOnly() {
        DDPMScheduler sched = scheduler("epsilon");
        DpoBatch b = batch(2, true);
        Recording policy = new Recording(1f);
        DpoStepResult r = new DpoTrainingStep(TrainMethod.SFT, 10, sched).evaluate(policy, null, b);
        float[] noisy = sched.addNoise(b.xW(), b.noise(), b.timesteps()).toFloatArray();
        assertArrayEquals(noisy, policy.samples.get(0));
        float[] eps = b.noise().toFloatArray();
        double mse = 0;
        for (int i = 0; i < noisy.length; i++) {
            mse += (noisy[i] - eps[i]) * (double) (noisy[i] - eps[i]) / noisy.length;
        }
        assertEquals(mse, r.loss(), 1e-5);
        assertEquals(TrainMethod.SFT, r.metrics().method());
        assertEquals(0, r.modelDiff().length);
        assertThrows(IllegalArgumentException.class, () -> new DpoTrainingStep(TrainMethod.DPO, 10, sched).run(policy, null, b, 1));
        IllegalStateException frozen = assertThrows(IllegalStateException.class,
                () -> new DpoTrainingStep(TrainMethod.SFT, 10, sched).run(policy, null, b, 1));
        assertTrue(frozen.getMessage().contains("attachGradients"), frozen.getMessage());
    }

    @Test
    void twoHalfBatchesWithLossScaleHalfAccumulateTheFullBatchGradient() {
        DDPMScheduler sched = scheduler("epsilon");
        DpoBatch full = batch(4, false);
        NDArray w = m.create(new float[] {0.9f, 1.1f}).reshape(1, 2, 1, 1);
        NDArray bias = m.create(new float[] {0.05f, -0.02f}).reshape(1, 2, 1, 1);
        w.setRequiresGradient(true);
        bias.setRequiresGradient(true);
        Denoiser policy = (s, t, c, a) -> s.mul(w).add(bias);
        Denoiser ref = (s, t, c, a) -> s.mul(0.95f);
        DpoTrainingStep step = new DpoTrainingStep(TrainMethod.DPO, 200, sched);
        step.run(policy, ref, full, 1.0);
        float[] gw = w.getGradient().toFloatArray();
        float[] gb = bias.getGradient().toFloatArray();
        w.getGradient().subi(w.getGradient());
        bias.getGradient().subi(bias.getGradient());
        for (String half : new String[] {"0:2", "2:4"}) {
            DpoBatch h = DpoBatch.of(full.xW().get(half), full.xL().get(half), full.noise().get(half), full.timesteps().get(half),
                    full.encoderHiddenStates().get(half));
            step.run(policy, ref, h, 0.5);
        }
        float[] gw2 = w.getGradient().toFloatArray();
        float[] gb2 = bias.getGradient().toFloatArray();
        for (int i = 0; i < 2; i++) {
            assertEquals(gw[i], gw2[i], 1e-5 * Math.abs(gw[i]), "d loss / d w[" + i + "]");
            assertEquals(gb[i], gb2[i], 1e-5 * Math.max(1, Math.abs(gb[i])), "d loss / d bias[" + i + "]");
        }
        assertNotEquals(0f, gw[0]);
    }

    @Test
    void pairNoiseIsDeterministicPerPosition() {
        PairNoiseSampler s = new PairNoiseSampler(5, 1000);
        Shape latent = new Shape(4, 8, 8);
        PairNoiseSampler.Draw a = s.sample(3, 2, latent, m);
        PairNoiseSampler.Draw again = new PairNoiseSampler(5, 1000).sample(3, 2, latent, m);
        PairNoiseSampler.Draw next = s.sample(4, 2, latent, m);
        assertArrayEquals(a.noise().toFloatArray(), again.noise().toFloatArray());
        assertArrayEquals(a.timesteps().toLongArray(), again.timesteps().toLongArray());
        assertNotEquals(a.noise().getFloat(0, 0, 0, 0), next.noise().getFloat(0, 0, 0, 0));
        assertEquals(new Shape(2, 4, 8, 8), a.noise().getShape());
        assertEquals(DataType.INT64, a.timesteps().getDataType());
        for (int p = 0; p < 200; p++) {
            for (long t : s.sample(p, 4, latent, m).timesteps().toLongArray()) {
                assertTrue(t >= 0 && t < 1000);
            }
        }
        float[] many = s.sample(0, 64, latent, m).noise().toFloatArray();
        double mean = 0;
        double sq = 0;
        for (float f : many) {
            mean += f / many.length;
            sq += f * (double) f / many.length;
        }
        assertEquals(0, mean, 0.05);
        assertEquals(1, sq, 0.05);
    }

    @Test
    void batchFilesAreValidatedByName(@TempDir Path tmp) {
        Map<String, HostTensor> t = new LinkedHashMap<>();
        float[] lat = new float[2 * 4 * 2 * 2];
        t.put("x_w", HostTensor.ofFloats(lat, 2, 4, 2, 2));
        t.put("x_l", HostTensor.ofFloats(lat, 2, 4, 2, 2));
        t.put("noise", HostTensor.ofFloats(lat, 2, 4, 2, 2));
        t.put("timesteps", HostTensor.ofLongs(new long[] {1, 2}, 2));
        Path f = tmp.resolve("batch.safetensors");
        SafeTensorsWriter.write(f, t, Map.of());
        DpoException missing = assertThrows(DpoException.class, () -> DpoBatch.load(f, m));
        assertTrue(missing.getMessage().contains("encoder_hidden_states") && missing.getMessage().contains(f.toString()),
                missing.getMessage());
        t.put("encoder_hidden_states", HostTensor.ofFloats(new float[3 * 2 * 2], 3, 2, 2));
        SafeTensorsWriter.write(f, t, Map.of());
        DpoException shape = assertThrows(DpoException.class, () -> DpoBatch.load(f, m));
        assertTrue(shape.getMessage().contains("encoder_hidden_states must be [2, S, D]"), shape.getMessage());
        t.put("encoder_hidden_states", HostTensor.ofFloats(new float[2 * 2 * 2], 2, 2, 2));
        SafeTensorsWriter.write(f, t, Map.of());
        assertEquals(2, DpoBatch.load(f, m).size());
    }
}
