package dev.alignloop.trainer;

import dev.alignloop.diffusion.checkpoint.TrainingCheckpoint;

/**
 * Events of the training loop, called on the training thread (keep them short; an exception is
 * logged and ignored). Metrics and tests listen; a listener may call {@link TrainerWorker#halt()}
 * to simulate a crash at a precise moment.
 */
public interface TrainerListener {

  /**
   * The loop restored its starting point and is about to read labels; called once per run, before
   * any other event. Counting labels across a restart must start here: {@code pairsSeen} are the
   * labels already in the restored weights, and every later {@link #onStep} carries only new ones
   * (reading {@link DpoTrainer#pairsSeen()} from another thread after the start races with the
   * first steps and counts them twice).
   *
   * @param version the checkpoint resumed from, or null for the base model
   * @param step optimizer steps in the restored weights
   * @param pairsSeen labels in the restored weights
   */
  default void onResumed(String version, long step, long pairsSeen) {}

  /** An optimizer step was taken (its labels are in the weights, not yet in a checkpoint). */
  default void onStep(StepReport step) {}

  /**
   * A checkpoint is durable (renamed into place) but its offsets are not committed and it is not
   * announced yet: a crash here leaves an unannounced checkpoint, which a restart resumes from
   * and announces. Tests halt here to put the trainer in exactly that state.
   */
  default void onCheckpointWritten(TrainingCheckpoint checkpoint) {}

  /**
   * A checkpoint is durable and its offsets are committed; {@code published} says whether its
   * {@code Checkpoint} record was sent (if not, it is retried).
   */
  default void onCheckpoint(TrainingCheckpoint checkpoint, TrainedLabels labels, boolean published) {}

  /** A consumed record was sent to the dead-letter topic. */
  default void onDeadLetter(String code, String reason, String coordinates) {}
}
