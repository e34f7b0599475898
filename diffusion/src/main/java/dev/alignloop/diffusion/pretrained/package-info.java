/**
 * The diffusers folder layout: {@link dev.alignloop.diffusion.pretrained.ModelIndex}
 * ({@code model_index.json}), {@link dev.alignloop.diffusion.pretrained.DiffusersFolder} (validates a
 * pipeline folder and gives each component's paths) and
 * {@link dev.alignloop.diffusion.pretrained.ConfigJson} (reads {@code config.json} files into
 * records and writes them byte-for-byte the way diffusers' {@code to_json_string} does).
 *
 * <p>Model families ({@code unet}, {@code vae}, {@code clip}) read and write their own component
 * folders with these helpers; nothing here loads tensors.
 */
package dev.alignloop.diffusion.pretrained;
