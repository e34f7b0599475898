package dev.alignloop.streaming.eos;

import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Sorts errors from the transactional path into what the processor does about them. Errors
 * often arrive wrapped (a failed {@code send} surfaces from {@code commitTransaction} as a
 * {@code KafkaException} with the real error as its cause), so the whole cause chain is read.
 */
final class TransactionErrors {

  /** What to do. */
  enum Action {
    /** Another instance with our transactional id (or group instance id) took over: stop. */
    FENCED,
    /** Misconfiguration that retrying cannot fix: stop with FAILED. */
    FAIL,
    /** Abort, rewind, back off, retry. */
    RETRY
  }

  private TransactionErrors() {}

  static Action classify(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      // InvalidProducerEpochException is "abortable" in the client's book, but with a stable
      // transactional id and transactions that span only send + commit, a newer epoch means a
      // newer twin (or a transaction that outlived transaction.timeout.ms): treat it as Kafka
      // Streams does, as fencing.
      if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException
          || t instanceof FencedInstanceIdException) {
        return Action.FENCED;
      }
      if (t instanceof AuthorizationException || t instanceof UnsupportedVersionException) {
        return Action.FAIL;
      }
    }
    return Action.RETRY;
  }
}
