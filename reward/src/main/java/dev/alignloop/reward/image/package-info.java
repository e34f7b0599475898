/**
 * CLIP image preprocessing identical to HF {@code CLIPImageProcessor}: a bit-exact port of
 * Pillow's resampling ({@link dev.alignloop.reward.image.PilResampler}), PIL's RGB conversion,
 * HF's resize size, center crop, rescale and normalize; and the {@code clip-preprocess} CLI tool.
 */
package dev.alignloop.reward.image;
