package dev.alignloop.diffusion.dpo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.nn.Parameter;
import dev.alignloop.diffusion.optim.AdamW;
import dev.alignloop.diffusion.optim.AdamWConfig;
import dev.alignloop.diffusion.optim.GradientClipping;
import dev.alignloop.diffusion.unet.UNet2DConditionModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Repeated DPO steps on a small fixed set of pairs teach the tiny SD-1.5-shaped UNet to denoise
 * winners better than losers (relative to the frozen reference).
 */
class DpoLearningTest {
    private static final int PAIRS = 4;
    private static final int STEPS = 30;
    private static final Shape LATENT = new Shape(4, 16, 16);

    private static Path unetDir() {
        return Path.of(System.getProperty("alignloop.parity.dir", "parity"), "dpo-step-sd15-tiny", "policy", "unet");
    }

    /** Winners: smooth low-frequency patterns; losers: the same plus high-frequency checkerboard texture. */
    private static NDArray[] pairs(NDManager m) {
        SplittableRandom r = new SplittableRandom(7);
        float[] w = new float[Math.toIntExact(PAIRS * LATENT.size())];
        float[] l = new float[w.length];
        int i = 0;
        for (int p = 0; p < PAIRS; p++) {
            for (int c = 0; c < 4; c++) {
                double fx = 0.2 + 0.3 * r.nextDouble();
                double fy = 0.2 + 0.3 * r.nextDouble();
                double phase = 6 * r.nextDouble();
                for (int y = 0; y < 16; y++) {
                    for (int x = 0; x < 16; x++, i++) {
                        w[i] = (float) Math.sin(fx * x + fy * y + phase);
                        l[i] = (float) (0.5 * w[i] + (((x + y + c) & 1) == 0 ? 0.8 : -0.8));
                    }
                }
            }
        }
        return new NDArray[] {m.create(w, new Shape(PAIRS).addAll(LATENT)), m.create(l, new Shape(PAIRS).addAll(LATENT))};
    }

    @Test
    void dpoStepsRaiseImplicitAccuracyAndFavourWinners() {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2DConditionModel policy = UNet2DConditionModel.fromPretrained(unetDir(), m);
            UNet2DConditionModel reference = UNet2DConditionModel.fromPretrained(unetDir(), m);
            reference.freeze().eval();
            policy.train(true).attachGradients();
            NDArray[] xy = pairs(m);
            NDArray context = new PairNoiseSampler(3, 1000).sample(0, PAIRS, new Shape(5, 32, 1), m).noise().reshape(PAIRS, 5, 32);
            DpoTrainingStep step = new DpoTrainingStep(TrainMethod.DPO, 1000.0,
                    DpoTrainingStep.trainingScheduler(unetDir().resolveSibling("scheduler")));
            PairNoiseSampler trainNoise = new PairNoiseSampler(1, 1000);
            PairNoiseSampler evalNoise = new PairNoiseSampler(99, 1000);

            DpoMetrics before = evaluate(step, policy, reference, xy, context, evalNoise, m);
            // policy == reference: inside == 0 for every pair -> loss ln 2, and (0 > 0) counts as wrong
            assertEquals(Math.log(2), before.loss(), 1e-6);
            assertEquals(0.0, before.implicitAcc());

            List<Double> accs = new ArrayList<>();
            try (AdamW opt = new AdamW(AdamWConfig.defaults().withWeightDecay(0), m)) {
                for (int s = 0; s < STEPS; s++) {
                    PairNoiseSampler.Draw d = trainNoise.sample(s, PAIRS, LATENT, m);
                    DpoStepResult r = step.run(Denoiser.of(policy), Denoiser.of(reference),
                            DpoBatch.of(xy[0], xy[1], d.noise(), d.timesteps(), context), 1.0);
                    if (s == 0) {
                        assertGradientsFiniteAndNonZero(policy);
                    }
                    List<NDArray> grads = new ArrayList<>();
                    for (Parameter p : policy.namedParameters().values()) {
                        grads.add(p.gradient());
                    }
                    GradientClipping.clipGradNorm(grads, 1.0);
                    grads.forEach(NDArray::close);
                    opt.step(policy, 5e-4);
                    policy.zeroGrad();
                    d.noise().close();
                    d.timesteps().close();
                    accs.add(r.metrics().implicitAcc());
                    
                }
            }
            DpoMetrics after = evaluate(step, policy, reference, xy, context, evalNoise, m);
            System.out.printf("DPO learning: train acc %s%n  eval before %s%n  eval after %s%n", accs, before, after);
            assertTrue(after.implicitAcc() > 0.9, "implicit accuracy after training: " + after.implicitAcc());
            assertTrue(after.loss() < before.loss() - 0.3, "loss " + before.loss() + " -> " + after.loss());
            // winners' denoising loss went down relative to the losers' (compared with the reference)
            double policyGap = after.modelMseWinner() - after.modelMseLoser();
            double refGap = after.refMseWinner() - after.refMseLoser();
            assertTrue(policyGap < refGap, "policy w-l " + policyGap + " vs reference w-l " + refGap);
        }
    }

    /** Mean metrics over 6 fixed held-out noise draws of the same pairs (no gradients). */
    private static DpoMetrics evaluate(DpoTrainingStep step, UNet2DConditionModel policy, UNet2DConditionModel reference,
            NDArray[] xy, NDArray context, PairNoiseSampler noise, NDManager m) {
        double loss = 0;
        double acc = 0;
        double mw = 0;
        double ml = 0;
        double rw = 0;
        double rl = 0;
        int n = 6;
        for (int k = 0; k < n; k++) {
            PairNoiseSampler.Draw d = noise.sample(k, PAIRS, LATENT, m);
            DpoMetrics r = step.evaluate(Denoiser.of(policy), Denoiser.of(reference),
                    DpoBatch.of(xy[0], xy[1], d.noise(), d.timesteps(), context)).metrics();
            loss += r.loss() / n;
            acc += r.implicitAcc() / n;
            mw += r.modelMseWinner() / n;
            ml += r.modelMseLoser() / n;
            rw += r.refMseWinner() / n;
            rl += r.refMseLoser() / n;
        }
        return new DpoMetrics(TrainMethod.DPO, loss, acc, mw, ml, rw, rl, (mw + ml) / 2, (rw + rl) / 2, Double.NaN, Double.NaN);
    }

    private static void assertGradientsFiniteAndNonZero(UNet2DConditionModel policy) {
        int nonZero = 0;
        int total = 0;
        for (var e : policy.namedParameters().entrySet()) {
            try (NDArray g = e.getValue().gradient()) {
                float[] v = g.toFloatArray();
                boolean any = false;
                for (float f : v) {
                    assertTrue(Float.isFinite(f), "non-finite gradient in " + e.getKey());
                    any |= f != 0;
                }
                nonZero += any ? 1 : 0;
                total++;
            }
        }
        // every parameter of this UNet influences the output
        assertEquals(total, nonZero, "parameters with an all-zero gradient");
    }
}
