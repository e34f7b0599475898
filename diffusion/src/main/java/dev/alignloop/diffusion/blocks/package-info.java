/**
 * The building blocks the UNet ({@link dev.alignloop.diffusion.unet}) and the VAE
 * ({@link dev.alignloop.diffusion.vae}) share, as diffusers shares them ({@code resnet.py},
 * {@code attention_processor.py}, {@code downsampling.py}, {@code upsampling.py}), with diffusers'
 * parameter names: {@link dev.alignloop.diffusion.blocks.ResnetBlock2D} (time embedding optional),
 * {@link dev.alignloop.diffusion.blocks.Attention} (the transformer form and the VAE's single-head
 * spatial form), {@link dev.alignloop.diffusion.blocks.Downsample2D} (symmetric or the VAE's
 * asymmetric padding) and {@link dev.alignloop.diffusion.blocks.Upsample2D}.
 */
package dev.alignloop.diffusion.blocks;
