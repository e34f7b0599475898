package dev.alignloop.shapes.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.optim.AdamW;
import dev.alignloop.diffusion.optim.AdamWConfig;
import dev.alignloop.diffusion.scheduler.DDPMScheduler;
import dev.alignloop.diffusion.scheduler.SchedulerType;
import dev.alignloop.shapes.model.ShapesArtifacts;
import dev.alignloop.shapes.model.ShapesBaseModel;
import dev.alignloop.shapes.prompt.CaptionNoise;
import dev.alignloop.shapes.prompt.PromptGrammar;
import dev.alignloop.shapes.prompt.PromptSplit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BasePretrainerTest {

    @Test
    void aFewStepsLowerTheLossOnAHeldOutBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            ShapesBaseModel model = ShapesBaseModel.random(0, m);
            model.train(true);
            model.attachGradients();
            DDPMScheduler scheduler = new DDPMScheduler(model.schedulerConfig().withType(SchedulerType.DDPM));
            try (AdamW opt = new AdamW(AdamWConfig.defaults().withWeightDecay(0), m)) {
                DiffusionTrainStep step = new DiffusionTrainStep(model, scheduler, opt, 1.0);
                PretrainData data = new PretrainData(0, CaptionNoise.Config.defaults(), 0.1, 1000);
                PretrainData.Batch validation = new PretrainData(99, CaptionNoise.Config.defaults(), 0.1, 1000).batch(0, 8);
                double before = step.evaluate(validation, m);
                List<Double> losses = new ArrayList<>();
                for (int s = 0; s < 12; s++) {
                    losses.add(step.run(data.batch(s, 8), 2e-3, m));
                }
                double after = step.evaluate(validation, m);
                System.out.printf("pretraining: validation loss %.4f -> %.4f after 12 steps%n", before, after);
                assertTrue(after < 0.7 * before, "validation loss " + before + " -> " + after + " (train " + losses + ")");
            }
        }
    }

    @Test
    void batchesAreDeterministicTrainOnlyAndDropSomeCaptions() {
        PretrainData a = new PretrainData(5, CaptionNoise.Config.defaults(), 0.1, 1000);
        PretrainData b = new PretrainData(5, CaptionNoise.Config.defaults(), 0.1, 1000);
        PretrainData.Batch x = a.batch(3, 64);
        PretrainData.Batch y = b.batch(3, 64);
        assertArrayEquals(x.images(), y.images());
        assertArrayEquals(x.noise(), y.noise());
        assertArrayEquals(x.timesteps(), y.timesteps());
        assertEquals(x.captions(), y.captions());
        int dropped = 0;
        for (String c : x.captions()) {
            if (c.isEmpty()) {
                dropped++;
            } else {
                assertTrue(!PromptSplit.isHeldOut(PromptGrammar.parse(c)), "held-out caption in pretraining: " + c);
            }
        }
        assertTrue(dropped > 0 && dropped < 20, "dropped " + dropped);
    }

    @Test
    void anInterruptedRunResumesToTheSameWeights(@TempDir Path tmp) {
        PretrainOptions base = PretrainOptions.defaults(tmp.resolve("a")).withSteps(3).withBatchSize(1).withWarmupSteps(1)
                .withThreads(2).withIntervals(1, 2).withResume(false).withDirs(tmp.resolve("a"), tmp.resolve("ck-a"));
        PretrainResult straight = BasePretrainer.run(base, p -> { });
        assertEquals(0, straight.resumedFrom());

        PretrainOptions b = base.withDirs(tmp.resolve("b"), tmp.resolve("ck-b"));
        RuntimeException crash = assertThrows(RuntimeException.class, () -> BasePretrainer.run(b, p -> {
            if (p.step() == 2) {
                throw new RuntimeException("simulated crash after the step-2 checkpoint");
            }
        }));
        assertTrue(crash.getMessage().startsWith("simulated"));
        assertTrue(Files.isDirectory(tmp.resolve("ck-b/step-0000002")));
        List<PretrainProgress> seen = new ArrayList<>();
        PretrainResult resumed = BasePretrainer.run(b.withResume(true), seen::add);
        assertEquals(2, resumed.resumedFrom());
        assertEquals(List.of(3L), seen.stream().map(PretrainProgress::step).toList());

        assertEquals(8, ShapesArtifacts.verify(tmp.resolve("b"), ShapesArtifacts.Artifact.BASE)); // 7 model files + pretrain.json
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> x = ShapesBaseModel.load(tmp.resolve("a"), m).stateDict();
            Map<String, NDArray> y = ShapesBaseModel.load(tmp.resolve("b"), m).stateDict();
            assertEquals(x.keySet(), y.keySet());
            for (String k : x.keySet()) {
                assertArrayEquals(x.get(k).toFloatArray(), y.get(k).toFloatArray(), 1e-6f, k);
            }
        }
    }

    @Test
    void resumingUnderOtherSettingsIsRefused(@TempDir Path tmp) {
        PretrainOptions o = PretrainOptions.defaults(tmp.resolve("out")).withSteps(3).withBatchSize(1).withWarmupSteps(0)
                .withIntervals(1, 2).withResume(false).withDirs(tmp.resolve("out"), tmp.resolve("ck"));
        assertThrows(RuntimeException.class, () -> BasePretrainer.run(o, p -> {
            if (p.step() == 2) {
                throw new RuntimeException("stop");
            }
        }));
        PretrainException e = assertThrows(PretrainException.class,
                () -> BasePretrainer.run(o.withSeed(1).withResume(true), p -> { }));
        assertTrue(e.getMessage().contains("seed=0") && e.getMessage().contains("seed=1"), e.getMessage());
    }

    @Test
    void optionsAreValidatedByName() {
        PretrainOptions d = PretrainOptions.defaults(Path.of("x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.withBatchSize(0));
        assertTrue(e.getMessage().contains("batchSize"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.withLearningRate(0));
        assertTrue(e.getMessage().contains("learningRate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.withThreads(0));
        assertTrue(e.getMessage().contains("threads"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.withWarmupSteps(d.steps() + 1));
        assertTrue(e.getMessage().contains("warmupSteps"), e.getMessage());
    }
}
