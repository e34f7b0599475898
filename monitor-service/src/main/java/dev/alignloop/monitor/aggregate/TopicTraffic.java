package dev.alignloop.monitor.aggregate;

/**
 * Message and byte counts of one topic: totals since start and a one-minute sliding window of
 * one-second buckets keyed by <em>record timestamp</em>. Keying by record time (not by when the
 * monitor read it) means the rate is the produce rate: replaying an hour of history at start-up
 * does not show up as a burst, and a monitor that lags still reports the right rate.
 */
public final class TopicTraffic {

  /** Width of the rate window. */
  public static final int WINDOW_SECONDS = 60;

  private final long[] bucketSecond = new long[WINDOW_SECONDS];
  private final long[] bucketCount = new long[WINDOW_SECONDS];
  private final long[] bucketBytes = new long[WINDOW_SECONDS];
  private long messages;
  private long bytes;
  private long undecodable;
  private long lastTimestampMs;

  /** Rates over the window ending now. */
  public record Rates(double messagesPerSecond, double bytesPerSecond) {}

  /**
   * Counts one record.
   *
   * @param timestampMs the record's timestamp (CreateTime or LogAppendTime)
   * @param size key plus value bytes
   * @param nowMs the current time; records stamped in the future count as now (clock skew)
   */
  public synchronized void record(long timestampMs, long size, long nowMs) {
    messages++;
    bytes += size;
    lastTimestampMs = Math.max(lastTimestampMs, timestampMs);
    long second = Math.min(timestampMs, nowMs) / 1000;
    if (second <= nowMs / 1000 - WINDOW_SECONDS) {
      return; // too old for the window: history being replayed
    }
    int i = (int) Math.floorMod(second, (long) WINDOW_SECONDS);
    if (bucketSecond[i] != second) {
      bucketSecond[i] = second;
      bucketCount[i] = 0;
      bucketBytes[i] = 0;
    }
    bucketCount[i]++;
    bucketBytes[i] += size;
  }

  /** Counts a value that did not decode (it was also {@link #record recorded}). */
  public synchronized void undecodable() {
    undecodable++;
  }

  /** Messages and bytes per second over the last {@value #WINDOW_SECONDS} s. */
  public synchronized Rates rates(long nowMs) {
    long now = nowMs / 1000;
    long count = 0;
    long size = 0;
    for (int i = 0; i < WINDOW_SECONDS; i++) {
      if (bucketSecond[i] > now - WINDOW_SECONDS && bucketSecond[i] <= now) {
        count += bucketCount[i];
        size += bucketBytes[i];
      }
    }
    return new Rates(count / (double) WINDOW_SECONDS, size / (double) WINDOW_SECONDS);
  }

  /** Records seen since start. */
  public synchronized long messages() {
    return messages;
  }

  /** Key plus value bytes seen since start. */
  public synchronized long bytes() {
    return bytes;
  }

  /** Values that did not decode. */
  public synchronized long undecodableCount() {
    return undecodable;
  }

  /** Timestamp of the newest record, 0 if none. */
  public synchronized long lastTimestampMs() {
    return lastTimestampMs;
  }
}
