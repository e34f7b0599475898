package dev.alignloop.diffusion.dpo;

import ai.djl.ndarray.NDArray;

/** The forward-diffusion side of a training scheduler ({@code DDPMScheduler}). */
public interface NoiseSchedule {
    /** What the model predicts, from {@code prediction_type}. */
    enum Target {
        EPSILON,
        V_PREDICTION
    }

    /** {@code add_noise(original_samples, noise, timesteps)}. */
    NDArray addNoise(NDArray original, NDArray noise, NDArray timesteps);

    /** {@code get_velocity(sample, noise, timesteps)}. */
    NDArray getVelocity(NDArray sample, NDArray noise, NDArray timesteps);

    /** The regression target kind. */
    Target target();

    /** {@code num_train_timesteps}. */
    int numTrainTimesteps();
}
