/**
 * Consumption whose position is the caller's durable state:
 * {@link dev.alignloop.streaming.tracking.OffsetTrackingConsumer}, for the trainer. The trainer
 * stores {@link dev.alignloop.streaming.tracking.OffsetTrackingConsumer#positions()} in each
 * checkpoint, resumes with {@link dev.alignloop.streaming.tracking.OffsetTrackingConsumer#seek},
 * and commits to its consumer group only after the checkpoint is durable, so the group's lag is
 * visible to monitoring but is never the source of truth. No label is trained twice and none
 * is skipped: what the model has learned from and where reading resumes are written together,
 * atomically, in the checkpoint.
 */
package dev.alignloop.streaming.tracking;
