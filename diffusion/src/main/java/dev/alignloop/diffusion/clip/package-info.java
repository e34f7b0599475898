/**
 * transformers' CLIP text encoder ({@code CLIPTextModel}, {@code CLIPTextModelWithProjection}) as
 * used by Stable Diffusion pipelines: {@link dev.alignloop.diffusion.clip.ClipTextConfig} mirrors
 * {@code text_encoder/config.json}, {@link dev.alignloop.diffusion.clip.ClipTextModel} loads and
 * saves {@code text_encoder/} folders with transformers' weight names and returns
 * {@link dev.alignloop.diffusion.clip.ClipTextOutput} (last hidden state, pooled output,
 * penultimate hidden state, projected embeddings). {@link dev.alignloop.diffusion.clip.ClipParityTool}
 * is the {@code eval-text-encoder} parity entry point.
 */
package dev.alignloop.diffusion.clip;
