/**
 * The generator's policy lifecycle: {@link dev.alignloop.generator.policy.PolicyManager} holds the
 * policy that samples new batches and swaps it between batches (leases keep a replaced policy
 * alive until its batch is done); {@link dev.alignloop.generator.policy.CheckpointWatcher} follows
 * the compacted checkpoint topic and loads each newly PROMOTED checkpoint, after {@link
 * dev.alignloop.diffusion.checkpoint.CheckpointLocator} found and verified its folder. CANDIDATE and
 * REJECTED checkpoints are never loaded; a corrupt one is logged and counted, and the serving
 * policy stays.
 */
package dev.alignloop.generator.policy;
