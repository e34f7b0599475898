package dev.alignloop.streaming.eos;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * Hooks for metrics and logs, so a service can feed Micrometer without this module depending
 * on it. Every method has an empty default; called on the processing thread, so keep them
 * cheap. An exception thrown here is logged and ignored.
 *
 * <p>Counts are reported after the transaction commits: an aborted batch is reported only as
 * {@link #onRetry}, so counters built on {@link #onBatchCommitted} are exactly-once too.
 */
public interface ProcessorListener {

  /** A batch committed. */
  default void onBatchCommitted(BatchReport report) {}

  /** A dead letter committed (also counted in the batch's report). */
  default void onDeadLetter(DeadLetterEvent event) {}

  /**
   * A batch was aborted and rewound; it is retried after {@code backoff}.
   *
   * @param attempt how many times it has failed in a row
   */
  default void onRetry(Throwable cause, int attempt, Duration backoff) {}

  /** The consumer got partitions. */
  default void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

  /** The consumer gave partitions up (or lost them: {@code lost} true). */
  default void onPartitionsRevoked(Collection<TopicPartition> partitions, boolean lost) {}

  /** The state changed; {@code cause} is set for FENCED and FAILED. */
  default void onStateChange(ProcessorState from, ProcessorState to, Throwable cause) {}

  /** A listener that does nothing. */
  ProcessorListener NONE = new ProcessorListener() {};

  /** One listener that forwards every event to each of {@code listeners}, in order. */
  static ProcessorListener all(ProcessorListener... listeners) {
    List<ProcessorListener> list = List.of(listeners);
    return new ProcessorListener() {
      @Override
      public void onBatchCommitted(BatchReport report) {
        list.forEach(l -> l.onBatchCommitted(report));
      }

      @Override
      public void onDeadLetter(DeadLetterEvent event) {
        list.forEach(l -> l.onDeadLetter(event));
      }

      @Override
      public void onRetry(Throwable cause, int attempt, Duration backoff) {
        list.forEach(l -> l.onRetry(cause, attempt, backoff));
      }

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        list.forEach(l -> l.onPartitionsAssigned(partitions));
      }

      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions, boolean lost) {
        list.forEach(l -> l.onPartitionsRevoked(partitions, lost));
      }

      @Override
      public void onStateChange(ProcessorState from, ProcessorState to, Throwable cause) {
        list.forEach(l -> l.onStateChange(from, to, cause));
      }
    };
  }
}
