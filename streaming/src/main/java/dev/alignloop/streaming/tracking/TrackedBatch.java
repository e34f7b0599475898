package dev.alignloop.streaming.tracking;

import dev.alignloop.streaming.BadRecord;
import dev.alignloop.streaming.InputRecord;
import java.util.List;

/**
 * What one {@link OffsetTrackingConsumer#poll} handed out. Both lists count as consumed: {@link
 * OffsetTrackingConsumer#positions()} is past all of them.
 *
 * @param records decoded records, in per-partition offset order
 * @param failures records that cannot be used (undecodable, tombstones): send them to the DLQ
 *     ({@link dev.alignloop.streaming.DeadLetterRouter#route(BadRecord)})
 * @param <V> the value type
 */
public record TrackedBatch<V>(List<InputRecord<V>> records, List<BadRecord> failures) {

  /** Copies the lists. */
  public TrackedBatch {
    records = List.copyOf(records);
    failures = List.copyOf(failures);
  }

  /** True if nothing was handed out. */
  public boolean isEmpty() {
    return records.isEmpty() && failures.isEmpty();
  }

  /** Records and failures together. */
  public int size() {
    return records.size() + failures.size();
  }
}
