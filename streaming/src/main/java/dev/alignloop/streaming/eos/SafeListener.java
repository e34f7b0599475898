package dev.alignloop.streaming.eos;

import java.time.Duration;
import java.util.Collection;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls a user {@link ProcessorListener}, logging and swallowing what it throws. */
final class SafeListener implements ProcessorListener {

  private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);

  private final ProcessorListener delegate;
  private final String owner;

  SafeListener(ProcessorListener delegate, String owner) {
    this.delegate = delegate;
    this.owner = owner;
  }

  @Override
  public void onBatchCommitted(BatchReport report) {
    call(() -> delegate.onBatchCommitted(report));
  }

  @Override
  public void onDeadLetter(DeadLetterEvent event) {
    call(() -> delegate.onDeadLetter(event));
  }

  @Override
  public void onRetry(Throwable cause, int attempt, Duration backoff) {
    call(() -> delegate.onRetry(cause, attempt, backoff));
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    call(() -> delegate.onPartitionsAssigned(partitions));
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions, boolean lost) {
    call(() -> delegate.onPartitionsRevoked(partitions, lost));
  }

  @Override
  public void onStateChange(ProcessorState from, ProcessorState to, Throwable cause) {
    call(() -> delegate.onStateChange(from, to, cause));
  }

  private void call(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("{}: listener threw {}", owner, e.toString());
    }
  }
}
