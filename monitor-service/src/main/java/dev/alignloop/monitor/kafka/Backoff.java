package dev.alignloop.monitor.kafka;

import java.time.Duration;

/**
 * Exponential reconnection backoff: 250 ms doubling up to a cap, reset by a success. Not
 * thread-safe; each client loop owns one.
 */
final class Backoff {

  static final Duration INITIAL = Duration.ofMillis(250);

  private final Duration max;
  private Duration next = INITIAL;

  Backoff(Duration max) {
    this.max = max.compareTo(INITIAL) < 0 ? INITIAL : max;
  }

  /** The wait before the next attempt; each call doubles the following one (capped). */
  Duration nextDelay() {
    Duration d = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return d;
  }

  /** After a success: the next failure waits {@link #INITIAL} again. */
  void reset() {
    next = INITIAL;
  }
}
