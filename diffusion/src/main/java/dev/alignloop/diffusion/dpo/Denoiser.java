package dev.alignloop.diffusion.dpo;

import ai.djl.ndarray.NDArray;
import dev.alignloop.diffusion.unet.AddedCond;
import dev.alignloop.diffusion.unet.UNet2DConditionModel;

/**
 * A noise-prediction network as the DPO step sees it: the UNet's
 * {@code unet(sample, timestep, encoder_hidden_states, added_cond_kwargs).sample}
 * ({@link UNet2DConditionModel#forward}), or any small model in tests.
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
    NDArray predict(NDArray sample, NDArray timesteps, NDArray encoderHiddenStates, AddedCond added);

    /** The UNet as a denoiser: {@code unet.forward}. */
    static Denoiser of(UNet2DConditionModel unet) {
        return unet::forward;
    }
}
