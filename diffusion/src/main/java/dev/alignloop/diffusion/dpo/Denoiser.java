package dev.alignloop.diffusion.dpo;

import ai.djl.ndarray.NDArray;

/**
 * A noise-prediction network as the DPO step sees it: the UNet's
 * {@code unet(sample, timestep, encoder_hidden_states, added_cond_kwargs).sample}.
 */
@FunctionalInterface
public interface Denoiser {
    /**
     * Predicts the model output (ε, v or x₀ by the scheduler's prediction type).
     *
     * @param sample noisy latents {@code [N, C, H, W]}
     * @param timesteps {@code [N]} int64
     * @param encoderHiddenStates text conditioning {@code [N, S, D]}
     * @param added SDXL micro-conditioning, or {@code null}
     * @return {@code [N, C, H, W]}
     */
    NDArray predict(NDArray sample, NDArray timesteps, NDArray encoderHiddenStates, AddedConditions added);

    /**
     * SDXL {@code added_cond_kwargs}: pooled text embeddings and size/crop time ids.
     *
     * @param textEmbeds {@code [N, P]}
     * @param timeIds {@code [N, 6]}
     */
    record AddedConditions(NDArray textEmbeds, NDArray timeIds) {
    }
}
