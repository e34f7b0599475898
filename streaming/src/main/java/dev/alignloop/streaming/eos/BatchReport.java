package dev.alignloop.streaming.eos;

import java.time.Duration;
import java.util.Map;

/**
 * What one committed transaction did; passed to {@link ProcessorListener#onBatchCommitted}.
 *
 * @param recordsIn records consumed (decoded or not)
 * @param recordsOut output records produced (dead letters not included)
 * @param skipped inputs the handler skipped, by {@link Outcome.Skip#reason()}
 * @param deadLetters dead letters produced
 * @param handlerTime time spent in the handler
 * @param commitTime time from beginning the transaction to its commit
 * @param latency from {@code poll()} returning to the commit
 * @param attempt 1 for a first try, more when the batch was retried
 */
public record BatchReport(int recordsIn, int recordsOut, Map<String, Integer> skipped, int deadLetters,
    Duration handlerTime, Duration commitTime, Duration latency, int attempt) {

  /** Copies the map. */
  public BatchReport {
    skipped = Map.copyOf(skipped);
  }

  /** Total skipped inputs. */
  public int skippedCount() {
    return skipped.values().stream().mapToInt(Integer::intValue).sum();
  }
}
