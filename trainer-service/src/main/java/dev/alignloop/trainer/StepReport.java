package dev.alignloop.trainer;

import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.streaming.InputRecord;
import java.util.List;
import java.util.Map;

/**
 * One optimizer step, as logged, exported and summarized into checkpoints.
 *
 * @param step optimizer steps taken, this one included
 * @param lr the learning rate this step used (after schedule and {@code scale-lr})
 * @param gradNorm global L2 norm of the gradients before clipping
 * @param applied false when the gradients were not finite and the update was skipped (the
 *     labels still count as consumed: they can never train)
 * @param metrics {@code DpoMetrics.toMap()} averaged over the step's micro-batches, plus {@code lr},
 *     {@code grad_norm}, {@code step_time} (seconds) and {@code pairs}
 * @param labels the labels whose gradients this step applied, in training order
 * @param seconds wall time of the step's micro-batches and update
 */
public record StepReport(long step, double lr, double gradNorm, boolean applied, Map<String, Double> metrics,
    List<InputRecord<PreferenceLabel>> labels, double seconds) {

  public StepReport {
    metrics = Map.copyOf(metrics);
    labels = List.copyOf(labels);
  }

  /** A metric, NaN when absent. */
  public double metric(String name) {
    return metrics.getOrDefault(name, Double.NaN);
  }

  /** The pair ids of {@link #labels()}. */
  public List<String> pairIds() {
    return labels.stream().map(r -> r.value().getPairId()).toList();
  }
}
