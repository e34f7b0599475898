package dev.alignloop.diffusion.pipeline;

import ai.djl.ndarray.NDArray;

/** Called after every denoising step (diffusers' {@code callback_on_step_end}). */
@FunctionalInterface
public interface StepListener {
    /**
     * @param step the index of the step just taken, from 0
     * @param totalSteps the number of steps
     * @param timestep the timestep of that step
     * @param latents (B, C, h, w) the latents after it; valid only during the call
     */
    void onStep(int step, int totalSteps, float timestep, NDArray latents);
}
