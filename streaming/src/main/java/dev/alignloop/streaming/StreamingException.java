package dev.alignloop.streaming;

/**
 * Unchecked error of the streaming loops that callers cannot fix by retrying: a misused API, a
 * checkpoint that names partitions the topic does not have, a send that failed for good. The
 * message names the topic, partition, offset or key at fault.
 */
public class StreamingException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** With a message naming what failed and where. */
  public StreamingException(String message) {
    super(message);
  }

  /** With a message naming what failed and where, and the underlying error. */
  public StreamingException(String message, Throwable cause) {
    super(message, cause);
  }
}
