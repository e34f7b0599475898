package dev.alignloop.trainer;

/** The training loop cannot go on; the message names the topic, checkpoint or key at fault. */
public class TrainerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrainerException(String message) {
    super(message);
  }

  public TrainerException(String message, Throwable cause) {
    super(message, cause);
  }
}
