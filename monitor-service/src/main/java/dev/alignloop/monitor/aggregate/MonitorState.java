package dev.alignloop.monitor.aggregate;

import dev.alignloop.monitor.kafka.WatchedTopics.Role;
import dev.alignloop.monitor.kafka.WatchedTopics;
import dev.alignloop.monitor.metrics.MonitorMetrics;
import dev.alignloop.schemas.Decoded;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.CheckpointStatus;
import dev.alignloop.schemas.avro.DeadLetter;
import dev.alignloop.schemas.avro.EvalResult;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PreferenceLabel;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the monitor knows from the topics: routes each consumed record to the aggregate
 * of its topic and keeps a change counter per dashboard section. Records are decoded here with
 * the safe path ({@link dev.alignloop.schemas.AvroSerde#tryDecode}): a value that does not
 * decode is counted on its topic and skipped, never thrown.
 */
public final class MonitorState {

  /** Dashboard sections with their own change counter (see {@link #versions()}). */
  public enum Section { CURVES, CHECKPOINTS, EVALS, DLQ, PAIRS }

  private static final Logger LOG = LoggerFactory.getLogger(MonitorState.class);

  private final WatchedTopics topics;
  private final MonitorMetrics metrics;
  private final Map<String, TopicTraffic> traffic = new LinkedHashMap<>();
  private final LabelStats labels;
  private final TrainingHistory training;
  private final DeadLetterLog deadLetters;
  private final PairGallery gallery;
  private final Map<Section, AtomicLong> versions = new EnumMap<>(Section.class);

  /**
   * @param history points per series and checkpoints/evals kept
   * @param recentPairs pairs in the gallery
   * @param deadLetterCapacity dead letters kept
   */
  public MonitorState(WatchedTopics topics, MonitorMetrics metrics, int history, int recentPairs,
      int deadLetterCapacity) {
    this.topics = topics;
    this.metrics = metrics;
    this.labels = new LabelStats(history);
    this.training = new TrainingHistory(history);
    this.deadLetters = new DeadLetterLog(deadLetterCapacity);
    // A label is useful while its pair is in the gallery; the scorer may trail by a few hundred.
    this.gallery = new PairGallery(recentPairs, Math.max(1000, 4 * history));
    for (Section s : Section.values()) {
      versions.put(s, new AtomicLong());
    }
    for (String name : topics.names()) {
      TopicTraffic t = new TopicTraffic();
      traffic.put(name, t);
      metrics.bindTopic(name, t, TopicTraffic::messages, TopicTraffic::bytes, TopicTraffic::undecodableCount);
    }
    metrics.gauge(MonitorMetrics.CHECKPOINT_STEP, "Highest step of any checkpoint seen", training,
        TrainingHistory::latestStep);
    metrics.gauge(MonitorMetrics.EVAL_WIN_RATE, "Win rate of the newest eval result", training,
        TrainingHistory::latestWinRate);
    for (CheckpointStatus status : CheckpointStatus.values()) {
      metrics.gauge(MonitorMetrics.CHECKPOINTS, "status", status.name(), "Checkpoints per status", training,
          h -> h.countByStatus(status.name()));
    }
  }

  /**
   * Takes one record of a watched topic (others are ignored).
   *
   * @param nowMs current time, for the rate window
   */
  public void accept(ConsumerRecord<byte[], byte[]> record, long nowMs) {
    TopicTraffic t = traffic.get(record.topic());
    Role role = topics.role(record.topic()).orElse(null);
    if (t == null || role == null) {
      return;
    }
    t.record(record.timestamp(), Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize()),
        nowMs);
    Decoded<? extends SpecificRecord> decoded = role.serde().tryDecode(record.topic(), record.value());
    if (decoded == null) {
      if (role == Role.CHECKPOINTS && record.key() != null) {
        training.removeCheckpoint(new String(record.key(), StandardCharsets.UTF_8));
        bump(Section.CHECKPOINTS, Section.CURVES);
      }
      return;
    }
    if (decoded instanceof Decoded.Failed<?> failed) {
      t.undecodable();
      LOG.debug("Skipping undecodable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
          failed.error().getMessage());
      return;
    }
    // Java 17: no pattern switch; the topic's role fixes the type, instanceof binds it.
    SpecificRecord value = decoded.orThrow();
    if (value instanceof ImagePair p) {
      gallery.pair(p);
      bump(Section.PAIRS);
    } else if (value instanceof PreferenceLabel l) {
      labels.add(l);
      gallery.label(l);
      metrics.labelMargin(l.getMargin());
      bump(Section.CURVES, Section.PAIRS);
    } else if (value instanceof Checkpoint c) {
      training.checkpoint(c);
      c.getMetrics().keySet().forEach(name -> metrics.checkpointMetric(name, training, h -> h.latestMetric(name)));
      bump(Section.CHECKPOINTS, Section.CURVES);
    } else if (value instanceof EvalResult e) {
      training.eval(e);
      bump(Section.EVALS, Section.CHECKPOINTS);
    } else if (value instanceof DeadLetter d) {
      metrics.deadLetter(deadLetters.add(d, record.partition(), record.offset()));
      bump(Section.DLQ);
    }
    // PromptRequest: traffic only.
  }

  private void bump(Section... sections) {
    for (Section s : sections) {
      versions.get(s).incrementAndGet();
    }
  }

  /** Change counter per section, lower-case names. */
  public Map<String, Long> versions() {
    Map<String, Long> out = new LinkedHashMap<>();
    versions.forEach((s, v) -> out.put(s.name().toLowerCase(Locale.ROOT), v.get()));
    return out;
  }

  /** Traffic of a watched topic. */
  public TopicTraffic traffic(String topic) {
    return traffic.get(topic);
  }

  /** Label margins. */
  public LabelStats labels() {
    return labels;
  }

  /** Checkpoints and evals. */
  public TrainingHistory training() {
    return training;
  }

  /** Dead letters. */
  public DeadLetterLog deadLetters() {
    return deadLetters;
  }

  /** Recent pairs. */
  public PairGallery gallery() {
    return gallery;
  }
}
