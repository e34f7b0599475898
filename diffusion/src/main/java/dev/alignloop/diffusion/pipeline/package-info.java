/**
 * Text-to-image sampling ({@link dev.alignloop.diffusion.pipeline.TextToImagePipeline}) written against
 * small interfaces — {@link dev.alignloop.diffusion.pipeline.Denoiser},
 * {@link dev.alignloop.diffusion.pipeline.TextEncoder}, {@link dev.alignloop.diffusion.pipeline.ImageDecoder}
 * — so that any UNet, text encoder and VAE (or none, for pixel-space models) plug in. Mirrors diffusers'
 * Stable Diffusion and SDXL pipelines: classifier-free guidance with batched unconditional rows, negative
 * prompts, guidance rescale, SDXL micro-conditioning, seeded per-image noise, and conversion to
 * {@link java.awt.image.BufferedImage} / PNG.
 */
package dev.alignloop.diffusion.pipeline;
