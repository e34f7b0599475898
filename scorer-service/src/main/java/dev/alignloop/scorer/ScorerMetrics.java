package dev.alignloop.scorer;

import dev.alignloop.streaming.eos.BatchReport;
import dev.alignloop.streaming.eos.Outcome;
import dev.alignloop.streaming.eos.ProcessorListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scorer's own meters, on top of the processor's ({@code alignloop_records_*}, {@code
 * alignloop_dlq_total}, ... from {@link dev.alignloop.servicekit.ProcessorMetrics}). Prometheus
 * names, each tagged {@code service}:
 *
 * <ul>
 *   <li>{@code alignloop_scorer_margin} (summary with {@code _bucket}s at fixed margins and the
 *       tie margin, plus client-side p50/p90/p99): {@code |scoreA - scoreB|} of every scored pair,
 *       ties included, so the buckets show what any other tie margin would cut.
 *   <li>{@code alignloop_scorer_score{model, stat=mean|min|max}} (gauges): raw scores of the last
 *       committed batch, per model (each ensemble member, and the ensemble's combined score).
 *       Gauges, not a summary: reward scores can be negative, which Micrometer summaries drop.
 *   <li>{@code alignloop_scorer_load_seconds} and {@code alignloop_scorer_scoring_seconds}
 *       (timers with histograms): per batch, fetching + decoding the images, and the reward model
 *       call (tokenize, preprocess, ONNX Runtime).
 *   <li>{@code alignloop_scorer_rejected_total{reason}}: pairs the labeler dead-lettered, by reason
 *       code ({@code blob.missing}, {@code blob.checksum}, {@code blob.uri}, {@code
 *       image.media-type}, {@code image.decode}, {@code score.invalid}); the processor's {@code
 *       alignloop_dlq_total} counts them as {@code rejected}, next to undecodable records.
 * </ul>
 *
 * Ties are the processor's {@code alignloop_records_skipped_total{reason="tie"}}; labels are its
 * {@code alignloop_records_out_total}. Tie rate among scored pairs, for Grafana:
 *
 * <pre>
 * sum(rate(alignloop_records_skipped_total{service="scorer-service",reason="tie"}[5m]))
 *   / (sum(rate(alignloop_records_skipped_total{service="scorer-service",reason="tie"}[5m]))
 *      + sum(rate(alignloop_records_out_total{service="scorer-service"}[5m])))
 * </pre>
 *
 * Margins and scores are staged by the handler and recorded only when the batch's transaction
 * commits (dropped on a retry), so like the processor's counters they count each pair once.
 * Timers record every attempt: they measure work done.
 */
final class ScorerMetrics implements ProcessorListener {

  /** Fixed margin buckets (the tie margin is added): log-spaced, for scores of any scale. */
  static final double[] MARGIN_BUCKETS = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20,
      50, 100};

  private final MeterRegistry registry;
  private final String service;
  private final DistributionSummary margin;
  private final Timer load;
  private final Timer scoring;
  private final Map<String, ScoreStats> scores = new ConcurrentHashMap<>(); // strong refs for the gauges
  private LabelledBatch staged; // processing thread only

  ScorerMetrics(MeterRegistry registry, String service, double tieMargin) {
    this.registry = registry;
    this.service = service;
    TreeSet<Double> buckets = new TreeSet<>();
    for (double b : MARGIN_BUCKETS) {
      buckets.add(b);
    }
    if (tieMargin > 0) {
      buckets.add(tieMargin);
    }
    this.margin = DistributionSummary.builder("alignloop.scorer.margin")
        .description("|scoreA - scoreB| of every scored pair, ties included")
        .tags("service", service)
        .serviceLevelObjectives(buckets.stream().mapToDouble(Double::doubleValue).toArray())
        .publishPercentiles(0.5, 0.9, 0.99)
        .register(registry);
    this.load = Timer.builder("alignloop.scorer.load").description("Fetching and decoding the images of a batch")
        .tags("service", service).publishPercentileHistogram().register(registry);
    this.scoring = Timer.builder("alignloop.scorer.scoring")
        .description("Reward model call for a batch: tokenize, preprocess, ONNX Runtime")
        .tags("service", service).publishPercentileHistogram().register(registry);
  }

  /** Called by the handler: records the timers now, stages the rest for the commit. */
  void stage(LabelledBatch batch) {
    load.record(batch.loadTime());
    scoring.record(batch.scoreTime());
    staged = batch;
  }

  @Override
  public void onBatchCommitted(BatchReport report) {
    LabelledBatch b = staged;
    staged = null;
    if (b == null) {
      return; // a batch of undecodable records only: the handler did not run
    }
    for (double m : b.margins()) {
      margin.record(m);
    }
    b.scores().forEach((model, values) -> scores.computeIfAbsent(model, this::register).update(values));
    for (Outcome<?> o : b.outcomes()) {
      if (o instanceof Outcome.Reject<?> r) {
        int colon = r.reason().indexOf(':');
        Counter.builder("alignloop.scorer.rejected").description("Pairs dead-lettered by the labeler, by reason code")
            .tags("service", service, "reason", colon < 0 ? r.reason() : r.reason().substring(0, colon))
            .register(registry).increment();
      }
    }
  }

  @Override
  public void onRetry(Throwable cause, int attempt, Duration backoff) {
    staged = null; // the batch was aborted; its redo stages again
  }

  private ScoreStats register(String model) {
    ScoreStats s = new ScoreStats();
    for (String stat : new String[] {"mean", "min", "max"}) {
      Gauge.builder("alignloop.scorer.score", s, x -> x.get(stat))
          .description("Raw reward scores of the last committed batch")
          .tags("service", service, "model", model, "stat", stat)
          .register(registry);
    }
    return s;
  }

  /** Mean, min and max of the last batch's scores of one model. */
  private static final class ScoreStats {
    private volatile double[] last = {Double.NaN, Double.NaN, Double.NaN};

    void update(double[] values) {
      if (values.length == 0) {
        return;
      }
      double sum = 0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (double v : values) {
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      last = new double[] {sum / values.length, min, max};
    }

    double get(String stat) {
      double[] l = last;
      return switch (stat) {
        case "mean" -> l[0];
        case "min" -> l[1];
        default -> l[2];
      };
    }
  }
}
