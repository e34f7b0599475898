package dev.alignloop.streaming.eos;

/** Lifecycle of an {@link ExactlyOnceProcessor}. */
public enum ProcessorState {
  /** Built, not started. */
  CREATED,
  /** Started; initializing transactions (fences an earlier instance with the same id). */
  STARTING,
  /** Polling and processing. */
  RUNNING,
  /** {@link ExactlyOnceProcessor#close()} was called; finishing the batch in flight. */
  STOPPING,
  /** Stopped by {@link ExactlyOnceProcessor#close()}; clients closed. Terminal. */
  STOPPED,
  /**
   * Another producer with the same transactional id took over (a restarted twin of this
   * instance): this one is a zombie and stopped. Terminal; do not restart it with the same id.
   */
  FENCED,
  /** Stopped by {@link ExactlyOnceProcessor#halt()} as if the process died. Terminal. */
  HALTED,
  /**
   * Stopped on an error that retrying cannot fix (authorization, a handler breaking its contract,
   * too many consecutive failures). Terminal; see {@link ExactlyOnceProcessor#failure()}.
   */
  FAILED;

  /** True for the states a processor never leaves. */
  public boolean isTerminal() {
    return this == STOPPED || this == FENCED || this == HALTED || this == FAILED;
  }
}
