package dev.alignloop.streaming.eos;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link BatchHandler} made of one input record. Exactly one outcome per input, in input
 * order.
 *
 * <ul>
 *   <li>{@link Emit}: produce these outputs (zero or more) — committed with the input's offset.
 *   <li>{@link Skip}: nothing to produce, and that is fine (e.g. a tie below the margin); the
 *       offset still advances and the skip is counted.
 *   <li>{@link Reject}: this record can never be processed (bad content: missing blob, NaN
 *       score); it goes to the DLQ with the reason, in the same transaction.
 * </ul>
 *
 * A transient failure (model crashed, blob store down) is none of these: the handler throws,
 * and the processor retries the whole batch. Never reject a valid record for a transient cause.
 *
 * @param <O> the output value type
 */
public sealed interface Outcome<O> permits Outcome.Emit, Outcome.Skip, Outcome.Reject {

  /** Produce {@code outputs}. */
  record Emit<O>(List<Output<O>> outputs) implements Outcome<O> {
    /** Copies the list. */
    public Emit {
      outputs = List.copyOf(outputs);
    }
  }

  /** Produce nothing; {@code reason} is a bounded label for metrics, e.g. {@code tie}. */
  record Skip<O>(String reason) implements Outcome<O> {
    /** Checks the reason. */
    public Skip {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Dead-letter the input.
   *
   * @param reason human-readable reason, stored in the dead letter
   * @param cause the error, or null (then {@link dev.alignloop.streaming.RejectedRecordException})
   */
  record Reject<O>(String reason, Throwable cause) implements Outcome<O> {
    /** Checks the reason. */
    public Reject {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** One output. */
  static <O> Outcome<O> emit(String topic, String key, O value) {
    return new Emit<>(List.of(new Output<>(topic, key, value)));
  }

  /** Several outputs (or none). */
  static <O> Outcome<O> emit(List<Output<O>> outputs) {
    return new Emit<>(outputs);
  }

  /** Nothing to produce. */
  static <O> Outcome<O> skip(String reason) {
    return new Skip<>(reason);
  }

  /** To the DLQ. */
  static <O> Outcome<O> reject(String reason, Throwable cause) {
    return new Reject<>(reason, cause);
  }

  /** To the DLQ, without an exception. */
  static <O> Outcome<O> reject(String reason) {
    return new Reject<>(reason, null);
  }
}
