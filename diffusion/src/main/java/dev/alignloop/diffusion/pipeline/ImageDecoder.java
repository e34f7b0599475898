package dev.alignloop.diffusion.pipeline;

import ai.djl.ndarray.NDArray;

/** The VAE decoder of a latent diffusion model; absent for pixel-space models. */
public interface ImageDecoder {
    /** @return the VAE's {@code scaling_factor} (0.18215 for SD 1.x, 0.13025 for SDXL) */
    float scalingFactor();

    /** @return how many pixels one latent spans per side ({@code 2 ** (len(block_out_channels) - 1)}) */
    int scaleFactor();

    /**
     * {@code vae.decode(latents / scaling_factor)}: the pipeline divides by {@link #scalingFactor()} first.
     *
     * @param scaledLatents (B, C, h, w) latents already divided by the scaling factor
     * @return (B, 3, h * f, w * f) images in about [-1, 1]
     */
    NDArray decode(NDArray scaledLatents);
}
