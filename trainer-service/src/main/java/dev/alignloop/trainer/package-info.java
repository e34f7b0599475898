/**
 * The trainer service: Diffusion-DPO on the stream of preference labels.
 *
 * <ul>
 *   <li>{@link dev.alignloop.trainer.DpoTrainer}: the training logic without Kafka — loads the
 *       policy, the frozen reference, text encoder and tokenizer ({@link
 *       dev.alignloop.trainer.TrainerModels}), verifies and decodes labels ({@link
 *       dev.alignloop.trainer.LabelLoader}), runs micro-batches and optimizer steps, writes and
 *       restores checkpoints.
 *   <li>{@link dev.alignloop.trainer.TrainerWorker}: the service's loop (a {@code TrainingLoop} on
 *       its own thread) — consumes {@code alignloop.preferences} read_committed through an {@link
 *       dev.alignloop.streaming.tracking.OffsetTrackingConsumer}, dead-letters bad labels, and
 *       every N steps writes an atomic checkpoint holding exactly the offsets after the labels in
 *       its weights, then commits them (lag monitoring) and publishes a {@code Checkpoint}.
 *   <li>{@link dev.alignloop.trainer.TrainedLabels}: each checkpoint's list of the labels it
 *       trained (and dead-lettered) since its parent, for audits and the exactly-once tests.
 * </ul>
 *
 * <h2>Exactly once, across crashes</h2>
 * The checkpoint is the only source of truth for where training stands: weights, optimizer
 * state, step, noise-stream position and consumed offsets are written together, atomically. A
 * restarted trainer restores the newest checkpoint that verifies and seeks to its offsets, so the
 * labels after it are trained again (their earlier effect died with the process) and those in it
 * never are. The consumer group's committed offsets trail the checkpoints and are for monitoring
 * only. A crash between the durable write and the {@code Checkpoint} record is repaired at start:
 * unannounced local checkpoints are published (never re-announcing a version the topic knows, so
 * a PROMOTED status is not overwritten).
 *
 * <h2>Back-pressure</h2>
 * The loop fetches labels only when a micro-batch needs them ({@code max-poll-records} at a time):
 * a slow trainer leaves the rest in Kafka as lag, and the records buffered in the process stay
 * below {@code max-poll-records + batch-size} (plus the Kafka client's prefetch buffer, bounded
 * by {@code fetch-max-bytes}).
 * Pausing is not needed for that: nothing is fetched while a step or a checkpoint runs.
 */
package dev.alignloop.trainer;
