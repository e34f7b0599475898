package dev.alignloop.diffusion.pipeline;

import ai.djl.ndarray.NDArray;

/**
 * The images of one {@link TextToImagePipeline#generate} call.
 *
 * @param images (B, 3, H, W) float32 in [0, 1], owned by the manager passed to {@code generate}
 * @param seeds the seed of each image (given or drawn): the same seed and request give the same image
 * @param timesteps the timesteps the scheduler ran
 */
public record GenerationResult(NDArray images, long[] seeds, float[] timesteps) {
    /** @return a copy of the seeds */
    @Override
    public long[] seeds() {
        return seeds.clone();
    }

    /** @return a copy of the timesteps */
    @Override
    public float[] timesteps() {
        return timesteps.clone();
    }
}
