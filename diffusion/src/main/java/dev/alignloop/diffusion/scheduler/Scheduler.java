package dev.alignloop.diffusion.scheduler;

import ai.djl.ndarray.NDArray;

/**
 * A diffusers sampling scheduler: {@link #setTimesteps}, then for each {@code t} of {@link #timesteps()}:
 * feed {@code scaleModelInput(x, t)} to the denoiser and pass its output to {@code step(output, t, x)}.
 *
 * <p>Timesteps are floats because Euler's are (diffusers keeps them float32, fractional with
 * {@code linspace} spacing or Karras sigmas); the integer schedulers' timesteps are exact in float.
 * Instances are stateful (Euler and DPM-Solver count steps, DPM-Solver keeps previous outputs) and not
 * thread-safe: use one per sampling run; {@link #setTimesteps} resets the state. {@link #close()} frees
 * the arrays a scheduler retains between steps.
 */
public interface Scheduler extends AutoCloseable {
    /** @return the configuration this scheduler was built from */
    SchedulerConfig config();

    /** @return the training noise schedule (betas, alphas_cumprod) */
    NoiseSchedule noiseSchedule();

    /**
     * {@code set_timesteps(num_inference_steps)}: computes the inference timesteps (and sigmas) and resets
     * the step state.
     *
     * @param numInferenceSteps the number of denoising steps
     */
    void setTimesteps(int numInferenceSteps);

    /** @return a copy of the inference timesteps, in sampling order (as diffusers' float32 or int64 values) */
    float[] timesteps();

    /** @return {@code init_noise_sigma}: the standard deviation of the initial noise */
    float initNoiseSigma();

    /**
     * {@code scale_model_input(sample, t)}: what the denoiser sees at timestep {@code t}.
     *
     * @param sample (B, C, H, W) current latents
     * @param timestep a value of {@link #timesteps()}
     * @return the scaled sample (the input itself where the scheduler does not scale)
     */
    NDArray scaleModelInput(NDArray sample, float timestep);

    /**
     * {@code step(model_output, t, sample).prev_sample} for deterministic schedulers.
     *
     * @param modelOutput (B, C, H, W) the denoiser output at {@code t}
     * @param timestep a value of {@link #timesteps()}
     * @param sample (B, C, H, W) current latents
     * @return the latents after this step
     */
    default NDArray step(NDArray modelOutput, float timestep, NDArray sample) {
        return step(modelOutput, timestep, sample, null);
    }

    /**
     * {@code step(model_output, t, sample, generator=...).prev_sample}.
     *
     * @param modelOutput (B, C, H, W) the denoiser output at {@code t}
     * @param timestep a value of {@link #timesteps()}
     * @param sample (B, C, H, W) current latents
     * @param generator noise for stochastic steps (DDPM, DDIM with eta &gt; 0); null draws from an unseeded one
     * @return the latents after this step
     */
    NDArray step(NDArray modelOutput, float timestep, NDArray sample, NoiseGenerator generator);

    /** Frees arrays retained between steps; the default retains none. */
    @Override
    default void close() {
    }
}
