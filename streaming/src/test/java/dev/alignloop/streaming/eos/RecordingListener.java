package dev.alignloop.streaming.eos;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Collects what a processor reports, for assertions from the test thread. */
final class RecordingListener implements ProcessorListener {

  final AtomicInteger batches = new AtomicInteger();
  final AtomicInteger recordsIn = new AtomicInteger();
  final AtomicInteger recordsOut = new AtomicInteger();
  final AtomicInteger skipped = new AtomicInteger();
  final AtomicInteger retries = new AtomicInteger();
  final Map<String, AtomicInteger> deadLettersByCategory = new ConcurrentHashMap<>();
  final List<DeadLetterEvent> deadLetters = new CopyOnWriteArrayList<>();
  final List<ProcessorState> states = new CopyOnWriteArrayList<>();

  @Override
  public void onBatchCommitted(BatchReport report) {
    batches.incrementAndGet();
    recordsIn.addAndGet(report.recordsIn());
    recordsOut.addAndGet(report.recordsOut());
    skipped.addAndGet(report.skippedCount());
  }

  @Override
  public void onDeadLetter(DeadLetterEvent event) {
    deadLetters.add(event);
    deadLettersByCategory.computeIfAbsent(event.category(), k -> new AtomicInteger()).incrementAndGet();
  }

  @Override
  public void onRetry(Throwable cause, int attempt, Duration backoff) {
    retries.incrementAndGet();
  }

  @Override
  public void onStateChange(ProcessorState from, ProcessorState to, Throwable cause) {
    states.add(to);
  }
}
