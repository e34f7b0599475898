/**
 * The shapes world's reward model (the loop's AI feedback): a tiny CLIP-style dual encoder
 * ({@link dev.alignloop.shapes.rewardmodel.TinyClipModel}, the math and weight names of
 * {@code dev.alignloop.reward.onnx.TinyClipSpec}) trained in DJL with a symmetric InfoNCE loss on
 * clean renderings vs captions plus {@link dev.alignloop.shapes.rewardmodel.HardNegatives}
 * ({@link dev.alignloop.shapes.rewardmodel.RewardTrainer}), exported to ONNX and measured by
 * {@link dev.alignloop.shapes.rewardmodel.RewardAccuracy}.
 */
package dev.alignloop.shapes.rewardmodel;
