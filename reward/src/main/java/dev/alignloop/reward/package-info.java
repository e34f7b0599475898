/**
 * Reward models for AI feedback: {@link dev.alignloop.reward.RewardManifest} (the JSON next to an
 * ONNX file), {@link dev.alignloop.reward.OnnxRewardScorer} (ONNX Runtime, PickScore-style
 * {@code input_ids, attention_mask, pixel_values -> score}),
 * {@link dev.alignloop.reward.RewardEnsemble} (weighted mean of standardized scores) and
 * {@link dev.alignloop.reward.PairScorer} (winner, loser, margin, ties).
 *
 * <p>Errors: {@link dev.alignloop.reward.RewardModelException} when a model cannot be loaded as
 * configured (fatal, message names the file and key); {@link dev.alignloop.reward.RewardScoreException}
 * when one batch cannot be scored (route to the dead-letter topic).
 */
package dev.alignloop.reward;
