package dev.alignloop.shapes.pretrain;

import dev.alignloop.diffusion.scheduler.NoiseGenerator;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.shapes.model.ShapesModelConfigs;
import dev.alignloop.shapes.prompt.CaptionNoise;
import dev.alignloop.shapes.prompt.PromptSampler;
import dev.alignloop.shapes.prompt.PromptSplit;
import dev.alignloop.shapes.prompt.SceneSpec;
import dev.alignloop.shapes.render.ImageTensors;
import dev.alignloop.shapes.render.SceneRenderer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The pretraining data stream: batch {@code k} is a pure function of (seed, k), so a resumed run
 * sees exactly the batches an uninterrupted one would.
 *
 * <p>Each example: a TRAIN scene from {@link PromptSampler} (default weights), rendered at 32×32
 * with its own seed; its caption corrupted by {@link CaptionNoise} (results that would be
 * held-out prompts are kept clean); with probability {@code captionDropout} the caption is "";
 * a uniform training timestep in [0, 1000); standard-normal noise.
 */
final class PretrainData {

    /**
     * One batch.
     *
     * @param images    [B, 3, 32, 32] in [-1, 1], row-major
     * @param captions  B captions ("" when dropped)
     * @param timesteps B training timesteps
     * @param noise     [B, 3, 32, 32] standard normal
     */
    record Batch(float[] images, List<String> captions, long[] timesteps, float[] noise) {
    }

    private final long seed;
    private final double captionDropout;
    private final PromptSampler sampler = new PromptSampler(PromptSplit.Part.TRAIN);
    private final CaptionNoise noise;
    private final SceneRenderer renderer = SceneRenderer.ofSize(ShapesModelConfigs.IMAGE_SIZE);
    private final int trainTimesteps;

    PretrainData(long seed, CaptionNoise.Config captionNoise, double captionDropout, int trainTimesteps) {
        this.seed = seed;
        this.captionDropout = captionDropout;
        this.noise = new CaptionNoise(captionNoise, s -> !PromptSplit.isHeldOut(s));
        this.trainTimesteps = trainTimesteps;
    }

    /** Batch number {@code step} of {@code batchSize} examples. */
    Batch batch(long step, int batchSize) {
        SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, step));
        int n = ShapesModelConfigs.IMAGE_SIZE;
        int plane = 3 * n * n;
        float[] images = new float[batchSize * plane];
        List<String> captions = new ArrayList<>(batchSize);
        long[] timesteps = new long[batchSize];
        for (int i = 0; i < batchSize; i++) {
            SceneSpec scene = sampler.next(rng);
            long renderSeed = rng.nextLong();
            String caption = noise.caption(scene, rng);
            boolean drop = rng.nextDouble() < captionDropout;
            timesteps[i] = rng.nextInt(trainTimesteps);
            ImageTensors.toCHW(renderer.render(scene, renderSeed).image(), images, i * plane);
            captions.add(drop ? "" : caption);
        }
        float[] eps = NoiseGenerator.ofSeeds(rng.nextLong()).randnFloats(new Shape(batchSize, 3, n, n));
        return new Batch(images, captions, timesteps, eps);
    }
}
