package dev.alignloop.monitor.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The monitor's meters. Names are Micrometer dotted names; the Prometheus registry turns
 * {@code alignloop.topic.messages} (a counter) into {@code alignloop_topic_messages_total} and
 * {@code alignloop.consumer.lag} (a gauge) into {@code alignloop_consumer_lag}. Every tag value
 * comes from a bounded set (topic names, reason kinds capped upstream, metric names capped here),
 * so series counts stay bounded whatever the topics carry.
 */
public final class MonitorMetrics {

  /** Counter {topic}: records read per topic. */
  public static final String TOPIC_MESSAGES = "alignloop.topic.messages";
  /** Counter {topic}: key plus value bytes read per topic. */
  public static final String TOPIC_BYTES = "alignloop.topic.bytes";
  /** Counter {topic}: values that did not decode. */
  public static final String TOPIC_UNDECODABLE = "alignloop.topic.undecodable";
  /** Gauge {topic}: sum of partition end offsets (read_committed). */
  public static final String TOPIC_END_OFFSETS = "alignloop.topic.end.offsets";
  /** Counter {reason}: dead letters per reason kind. */
  public static final String DLQ = "alignloop.dlq";
  /** Distribution summary: reward margin of each preference label. */
  public static final String LABEL_MARGIN = "alignloop.label.margin";
  /** Gauge: highest checkpoint step seen. */
  public static final String CHECKPOINT_STEP = "alignloop.checkpoint.latest.step";
  /** Gauge {metric}: the newest checkpoint's training metric (dpo_loss, implicit_accuracy...). */
  public static final String CHECKPOINT_METRIC = "alignloop.checkpoint.metric";
  /** Gauge {status}: retained checkpoints per status. */
  public static final String CHECKPOINTS = "alignloop.checkpoints";
  /** Gauge: win rate of the newest eval result. */
  public static final String EVAL_WIN_RATE = "alignloop.eval.win.rate";
  /** Gauge {group, topic, partition}: committed-offset lag. */
  public static final String CONSUMER_LAG = "alignloop.consumer.lag";
  /** Gauge: 1 while the AdminClient reaches the cluster, else 0. */
  public static final String BROKER_UP = "alignloop.monitor.broker.up";

  /** Margin bucket bounds (score units): Prometheus {@code _bucket} series. */
  static final double[] MARGIN_BUCKETS = {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10};
  /** Distinct training-metric names exported as gauges. */
  static final int MAX_CHECKPOINT_METRICS = 32;

  private final MeterRegistry registry;
  private final DistributionSummary margins;
  private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
  private final Map<String, Meter> checkpointMetrics = new ConcurrentHashMap<>();
  private final Map<Tags, Lag> lags = new ConcurrentHashMap<>();

  /** Registers the fixed meters on {@code registry}. */
  public MonitorMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.margins = DistributionSummary.builder(LABEL_MARGIN)
        .description("Reward margin (winner minus loser score) of each preference label")
        .serviceLevelObjectives(MARGIN_BUCKETS)
        .register(registry);
  }

  /** Per-topic traffic counters read from {@code source}. */
  public <T> void bindTopic(String topic, T source, ToDoubleFunction<T> messages, ToDoubleFunction<T> bytes,
      ToDoubleFunction<T> undecodable) {
    FunctionCounter.builder(TOPIC_MESSAGES, source, messages).tag("topic", topic)
        .description("Records the monitor read per topic").register(registry);
    FunctionCounter.builder(TOPIC_BYTES, source, bytes).tag("topic", topic)
        .description("Key plus value bytes the monitor read per topic").register(registry);
    FunctionCounter.builder(TOPIC_UNDECODABLE, source, undecodable).tag("topic", topic)
        .description("Values that did not decode as the topic's Avro type").register(registry);
  }

  /** A gauge without tags, e.g. {@link #CHECKPOINT_STEP}. */
  public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
    Gauge.builder(name, source, value).description(description).register(registry);
  }

  /** A gauge with one tag, e.g. {@link #CHECKPOINTS} by status. */
  public <T> void gauge(String name, String tag, String tagValue, String description, T source,
      ToDoubleFunction<T> value) {
    Gauge.builder(name, source, value).tag(tag, tagValue).description(description).register(registry);
  }

  /** Records one label's margin. */
  public void labelMargin(double margin) {
    margins.record(margin);
  }

  /** Counts one dead letter under {@code reasonKind} (already capped by the caller). */
  public void deadLetter(String reasonKind) {
    deadLetters.computeIfAbsent(reasonKind, k -> Counter.builder(DLQ).tag("reason", k)
        .description("Dead letters per reason kind").register(registry)).increment();
  }

  /** Exports training metric {@code name} (first {@value #MAX_CHECKPOINT_METRICS} names only). */
  public <T> void checkpointMetric(String name, T source, ToDoubleFunction<T> value) {
    if (checkpointMetrics.size() >= MAX_CHECKPOINT_METRICS || checkpointMetrics.containsKey(name)) {
      return;
    }
    checkpointMetrics.computeIfAbsent(name, k -> Gauge.builder(CHECKPOINT_METRIC, source, value).tag("metric", k)
        .description("Training metric of the newest checkpoint that reports it").register(registry));
  }

  /** Sets the lag gauge of one group partition, registering it on first use. */
  public void lag(String group, String topic, int partition, long lag) {
    lags.computeIfAbsent(lagTags(group, topic, partition), t -> {
      AtomicLong value = new AtomicLong();
      Gauge gauge = Gauge.builder(CONSUMER_LAG, value, AtomicLong::doubleValue).tags(t)
          .description("Committed-offset lag per consumer group and partition").register(registry);
      return new Lag(value, gauge);
    }).value.set(lag);
  }

  /** Removes lag gauges of group partitions that no longer exist (group or offsets deleted). */
  public void retainLags(Set<Tags> live) {
    lags.entrySet().removeIf(e -> {
      if (live.contains(e.getKey())) {
        return false;
      }
      registry.remove(e.getValue().gauge);
      return true;
    });
  }

  /** The tags {@link #lag} uses, for {@link #retainLags}. */
  public static Tags lagTags(String group, String topic, int partition) {
    return Tags.of("group", group, "topic", topic, "partition", Integer.toString(partition));
  }

  // The gauge holds only a weak reference to its value object: this map keeps it alive.
  private record Lag(AtomicLong value, Gauge gauge) {}
}
