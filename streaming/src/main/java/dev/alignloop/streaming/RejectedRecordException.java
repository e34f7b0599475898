package dev.alignloop.streaming;

/**
 * Stands in as the error of a dead letter when a handler rejected a record without an
 * exception of its own (e.g. "prompt is empty"), so {@code DeadLetter.errorClass} still says
 * what kind of failure it was.
 */
public final class RejectedRecordException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** @param reason why the handler rejected the record */
  public RejectedRecordException(String reason) {
    super(reason);
  }
}
