/**
 * diffusers' {@code AutoencoderKL}: {@link dev.alignloop.diffusion.vae.AutoencoderKLConfig} mirrors
 * {@code vae/config.json}; {@link dev.alignloop.diffusion.vae.AutoencoderKL} loads and saves
 * {@code vae/} folders with diffusers' weight names, encodes images in [-1, 1] to a
 * {@link dev.alignloop.diffusion.vae.LatentDistribution}, decodes latents, and converts to and from
 * the UNet's scaled latent space. {@link dev.alignloop.diffusion.vae.VaeParityTool} is the
 * {@code eval-vae} parity entry point.
 *
 * <p>The blocks ({@code ResnetBlock2D} without time embedding, the single-head spatial attention,
 * {@code Downsample2D} with diffusers' asymmetric padding, {@code Upsample2D}) are the shared ones
 * of {@link dev.alignloop.diffusion.blocks}, built the way the VAE builds them.
 */
package dev.alignloop.diffusion.vae;
