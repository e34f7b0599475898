/**
 * diffusers' {@code UNet2DConditionModel} (v0.25.0 semantics) on the {@link dev.alignloop.diffusion.nn}
 * module system: SD 1.5-style and SDXL-style ({@code addition_embed_type="text_time"},
 * {@code use_linear_projection}, per-block heads and transformer depth) configurations,
 * latent or pixel space, any spatial size.
 *
 * <p>Entry points: {@link dev.alignloop.diffusion.unet.UNet2DConditionModel#fromPretrained},
 * {@link dev.alignloop.diffusion.unet.UNet2DConditionModel#save},
 * {@link dev.alignloop.diffusion.unet.UNet2DConditionModel#random},
 * {@link dev.alignloop.diffusion.unet.UNet2DConditionModel#forward}; the config is
 * {@link dev.alignloop.diffusion.unet.UNet2DConditionConfig} (read/written by
 * {@link dev.alignloop.diffusion.unet.UNet2DConditionConfigJson}); {@link
 * dev.alignloop.diffusion.unet.UNetParityTool} serves {@code alignloop model eval-unet}.
 *
 * <p>Implemented block types: {@code CrossAttnDownBlock2D}, {@code DownBlock2D},
 * {@code UNetMidBlock2DCrossAttn} (or no mid block), {@code CrossAttnUpBlock2D}, {@code UpBlock2D}.
 * Config values outside that (class embeddings, fourier time embedding, scale_shift resnets,
 * encoder_hid_proj, dual/only cross-attention, gated attention, per-layer transformer depth
 * lists, other block types) fail with {@link dev.alignloop.diffusion.unet.UnsupportedConfigException}
 * naming the key and value. Attention masks are not supported (diffusers' UNet callers in
 * SD/SDXL pipelines pass none).
 */
package dev.alignloop.diffusion.unet;
