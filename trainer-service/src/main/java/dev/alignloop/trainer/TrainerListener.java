package dev.alignloop.trainer;

import dev.alignloop.diffusion.checkpoint.TrainingCheckpoint;

/**
 * Events of the training loop, called on the training thread (keep them short; an exception is
 * logged and ignored). Metrics and tests listen; a listener may call {@link TrainerWorker#halt()}
 * to simulate a crash at a precise moment.
 */
public interface TrainerListener {

  /** An optimizer step was taken (its labels are in the weights, not yet in a checkpoint). */
  default void onStep(StepReport step) {}

  /**
   * A checkpoint is durable and its offsets are committed; {@code published} says whether its
   * {@code Checkpoint} record was sent (if not, it is retried).
   */
  default void onCheckpoint(TrainingCheckpoint checkpoint, TrainedLabels labels, boolean published) {}

  /** A consumed record was sent to the dead-letter topic. */
  default void onDeadLetter(String code, String reason, String coordinates) {}
}
