package dev.alignloop.monitor.api;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/curves}: training curves from {@code Checkpoint.metrics} and the reward
 * margins of the preference labels.
 *
 * @param training per metric name (e.g. {@code dpo_loss}, {@code implicit_accuracy}), points
 *     {@code (step, value, version)} in step order
 * @param margins label margin statistics
 */
@Serdeable
public record CurvesView(Map<String, List<Point>> training, Margins margins) {

  /**
   * @param count labels seen since the monitor started
   * @param mean mean margin over all of them (NaN-free: 0 when none)
   * @param recent the newest margins, {@code (label sequence number, margin, pair id)}
   * @param rollingMean rolling mean of {@code recent} over {@value #ROLLING_WINDOW} labels
   * @param histogram distribution of {@code recent}
   * @param bySource label counts per source ({@code ai}, {@code human})
   */
  @Serdeable
  public record Margins(long count, double mean, List<Point> recent, List<Point> rollingMean,
      Histogram histogram, Map<String, Long> bySource) {

    /** Labels per rolling-mean window. */
    public static final int ROLLING_WINDOW = 20;
  }

  /**
   * @param edges bin edges, one more than counts
   * @param counts labels per bin
   */
  @Serdeable
  public record Histogram(List<Double> edges, List<Long> counts) {}
}
