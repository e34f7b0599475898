/**
 * Optimizers with PyTorch/transformers semantics ({@link dev.alignloop.diffusion.optim.AdamW},
 * {@link dev.alignloop.diffusion.optim.Adafactor}) whose state is saved as named tensors,
 * diffusers learning-rate schedules and {@code scale_lr}
 * ({@link dev.alignloop.diffusion.optim.LrSchedule}), gradient clipping and accumulation.
 */
package dev.alignloop.diffusion.optim;
