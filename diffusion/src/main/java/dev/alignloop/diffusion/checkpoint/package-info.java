/**
 * Training checkpoints: atomic folders (temp dir, fsync, rename) holding a diffusers model
 * folder, the optimizer state, the trainer state (step, RNG, LR position, consumed Kafka
 * offsets, parent version, metrics) and a SHA-256 manifest of every file
 * ({@link dev.alignloop.diffusion.checkpoint.CheckpointStore},
 * {@link dev.alignloop.diffusion.checkpoint.CheckpointVerifier}).
 */
package dev.alignloop.diffusion.checkpoint;
