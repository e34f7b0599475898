package dev.alignloop.diffusion.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.alignloop.diffusion.dpo.Denoiser;
import dev.alignloop.diffusion.dpo.DpoBatch;
import dev.alignloop.diffusion.dpo.DpoStepResult;
import dev.alignloop.diffusion.dpo.DpoTrainingStep;
import dev.alignloop.diffusion.dpo.PairNoiseSampler;
import dev.alignloop.diffusion.dpo.TrainMethod;
import dev.alignloop.diffusion.nn.Parameter;
import dev.alignloop.diffusion.optim.AdamW;
import dev.alignloop.diffusion.optim.AdamWConfig;
import dev.alignloop.diffusion.optim.GradientClipping;
import dev.alignloop.diffusion.pretrained.TinyPolicyFolder;
import dev.alignloop.diffusion.unet.UNet2DConditionModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Diffusion-DPO steps with LoRA on: only the adapters move, the UNet's own weights stay bit-identical. */
class LoraDpoTest {
    private static final int PAIRS = 2;
    private static final int STEPS = 4;

    @Test
    void dpoStepsTrainOnlyTheAdapters(@TempDir Path tmp) {
        Path unetDir = LoraFixtures.unetDir(tmp);
        JniUtils.setGradMode(false); // optimizer updates in place, outside autograd (as the trainer)
        try (NDManager m = NDManager.newBaseManager()) {
            UNet2DConditionModel policy = UNet2DConditionModel.fromPretrained(unetDir, m);
            UNet2DConditionModel reference = UNet2DConditionModel.fromPretrained(unetDir, m);
            reference.freeze().eval();
            policy.train(true);
            LoraAdapters lora = LoraAdapters.inject(policy, LoraConfig.attention(4, 4), 7);
            lora.attachGradients();
            Map<String, float[]> baseBefore = LoraFixtures.snapshot(policy.namedParameters());
            Map<String, float[]> loraBefore = LoraFixtures.snapshot(lora.namedParameters());

            Shape image = new Shape(3, LoraFixtures.SIZE, LoraFixtures.SIZE);
            NDArray xw = LoraFixtures.normal(m, 21, 0.5, PAIRS, 3, LoraFixtures.SIZE, LoraFixtures.SIZE);
            NDArray xl = LoraFixtures.normal(m, 22, 0.5, PAIRS, 3, LoraFixtures.SIZE, LoraFixtures.SIZE);
            NDArray context = LoraFixtures.normal(m, 23, 1, PAIRS, LoraFixtures.TOKENS, TinyPolicyFolder.HIDDEN);
            PairNoiseSampler.Draw d = new PairNoiseSampler(5, 1000).sample(0, PAIRS, image, m);
            DpoBatch batch = DpoBatch.of(xw, xl, d.noise(), d.timesteps(), context);
            DpoTrainingStep step = new DpoTrainingStep(TrainMethod.DPO, 5000,
                    DpoTrainingStep.trainingScheduler(unetDir.resolveSibling("scheduler")));

            List<Float> losses = new ArrayList<>();
            try (AdamW opt = new AdamW(AdamWConfig.defaults().withWeightDecay(0), m)) {
                for (int s = 0; s < STEPS; s++) {
                    DpoStepResult r = step.run(Denoiser.of(policy), Denoiser.of(reference), batch, 1.0);
                    losses.add(r.loss());
                    for (Parameter p : policy.namedParameters().values()) {
                        assertNull(p.gradient(), "no gradient reaches the frozen UNet");
                    }
                    List<NDArray> grads = new ArrayList<>();
                    lora.namedParameters().values().forEach(p -> grads.add(p.gradient()));
                    double norm = GradientClipping.clipGradNorm(grads, 1.0);
                    grads.forEach(NDArray::close);
                    assertTrue(norm > 0 && Double.isFinite(norm), "step " + s + " gradient norm " + norm);
                    opt.step(lora, 1e-2);
                    lora.zeroGrad();
                }
            }
            float after = step.evaluate(Denoiser.of(policy), Denoiser.of(reference), batch).loss();
            System.out.printf("LoRA DPO: train losses %s, after %s%n", losses, after);
            // B = 0 at the start: policy == reference, loss = ln 2 exactly as in the paper's setup
            assertEquals(Math.log(2), losses.get(0), 1e-6);
            assertTrue(after < losses.get(0) - 1e-3, "loss moved down: " + losses + " -> " + after);

            Map<String, float[]> baseAfter = LoraFixtures.snapshot(policy.namedParameters());
            baseBefore.forEach((k, v) -> assertArrayEquals(v, baseAfter.get(k), "base weight changed: " + k));
            Map<String, float[]> loraAfter = LoraFixtures.snapshot(lora.namedParameters());
            long changed = loraBefore.keySet().stream().filter(k -> !java.util.Arrays.equals(loraBefore.get(k), loraAfter.get(k)))
                    .count();
            assertEquals(loraBefore.size(), changed, "every adapter tensor was updated");
            assertEquals(lora.parameterCount(), lora.namedParameters().values().stream()
                    .mapToLong(p -> p.shape().size()).sum());
        }
    }
}
