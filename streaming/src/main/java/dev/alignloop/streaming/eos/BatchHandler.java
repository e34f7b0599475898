package dev.alignloop.streaming.eos;

import dev.alignloop.streaming.InputRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The service logic of an {@link ExactlyOnceProcessor}: maps one polled batch of decoded inputs
 * to one {@link Outcome} per input, in order. Runs on the polling thread, so a batch's worst-case
 * time must stay below {@code max.poll.interval.ms} ({@link ProcessorBuilder#optMaxPollInterval}).
 *
 * <p>Error contract:
 * <ul>
 *   <li>A record that is bad in itself: return {@link Outcome#reject} for it; the rest of the
 *       batch goes on.
 *   <li>A failure that is not the record's fault (model crashed, disk full, blob store down):
 *       throw. The batch is rewound and retried with backoff; nothing is dead-lettered.
 * </ul>
 * The handler may be called again with the same records (after a retry, a rebalance or a
 * crash), so side effects outside Kafka must be idempotent (e.g. content-addressed blobs).
 *
 * @param <I> input value type
 * @param <O> output value type
 */
@FunctionalInterface
public interface BatchHandler<I, O> {

  /**
   * @param batch decoded inputs, in poll order (per-partition offset order); never empty
   * @return exactly {@code batch.size()} outcomes, the i-th for the i-th input
   * @throws Exception on a transient failure: the batch is retried
   */
  List<Outcome<O>> handle(List<InputRecord<I>> batch) throws Exception;

  /** A record at a time: for logic with nothing to gain from batching. */
  static <I, O> BatchHandler<I, O> perRecord(RecordHandler<I, O> handler) {
    return batch -> {
      List<Outcome<O>> outcomes = new ArrayList<>(batch.size());
      for (InputRecord<I> record : batch) {
        outcomes.add(handler.handle(record));
      }
      return outcomes;
    };
  }

  /** One input to one outcome; see {@link BatchHandler} for the error contract. */
  @FunctionalInterface
  interface RecordHandler<I, O> {
    /** The outcome for {@code record}; throw on a transient failure. */
    Outcome<O> handle(InputRecord<I> record) throws Exception;
  }
}
