package dev.alignloop.diffusion.pipeline;

import ai.djl.ndarray.NDArray;

/** The noise-prediction network (a UNet): what the scheduler's {@code prediction_type} says it predicts. */
@FunctionalInterface
public interface Denoiser {
    /**
     * One forward pass, {@code unet(sample, timestep, encoder_hidden_states=..., added_cond_kwargs=...)}.
     *
     * @param latents (N, C, h, w) the scheduler-scaled model input
     * @param timesteps (N) float32, the same timestep for every row (fractional with some Euler settings)
     * @param cond conditioning with batch N
     * @return (N, C', h, w) the prediction (epsilon, v or x0); C' may be 2C for learned-variance models
     */
    NDArray predict(NDArray latents, NDArray timesteps, Conditioning cond);
}
