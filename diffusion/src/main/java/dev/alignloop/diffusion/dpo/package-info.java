/**
 * Diffusion-DPO (Wallace et al. 2024) as in the official implementation: the loss
 * ({@link dev.alignloop.diffusion.dpo.DpoLoss}), one training step over a batch of preference
 * pairs ({@link dev.alignloop.diffusion.dpo.DpoTrainingStep}), and the {@code dpo-step} parity
 * tool that writes the loss and every parameter's gradient for comparison with PyTorch.
 */
package dev.alignloop.diffusion.dpo;
