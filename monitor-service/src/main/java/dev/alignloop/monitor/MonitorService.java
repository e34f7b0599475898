package dev.alignloop.monitor;

import dev.alignloop.monitor.aggregate.MonitorState;
import dev.alignloop.monitor.aggregate.TopicTraffic;
import dev.alignloop.monitor.api.CheckpointView;
import dev.alignloop.monitor.api.CurvesView;
import dev.alignloop.monitor.api.DlqView;
import dev.alignloop.monitor.api.EvalView;
import dev.alignloop.monitor.api.LiveUpdate;
import dev.alignloop.monitor.api.PairView;
import dev.alignloop.monitor.api.TopicsView.GroupLag;
import dev.alignloop.monitor.api.TopicsView;
import dev.alignloop.monitor.kafka.LagMonitor;
import dev.alignloop.monitor.kafka.TopicWatcher;
import dev.alignloop.monitor.kafka.WatchedTopics.Role;
import dev.alignloop.monitor.kafka.WatchedTopics;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one call behind each HTTP endpoint: joins what the {@link TopicWatcher} aggregated with
 * what the {@link LagMonitor} fetched into the API views.
 */
@Singleton
public class MonitorService {

  private final MonitorState state;
  private final LagMonitor lag;
  private final TopicWatcher watcher;
  private final WatchedTopics topics;
  private final BlobImages images;
  private final Clock clock;

  /** Wires the service. */
  public MonitorService(MonitorState state, LagMonitor lag, TopicWatcher watcher, WatchedTopics topics,
      BlobImages images, Clock clock) {
    this.state = state;
    this.lag = lag;
    this.watcher = watcher;
    this.topics = topics;
    this.images = images;
    this.clock = clock;
  }

  /** Topic table, broker status and group lag. */
  public TopicsView topics() {
    LagMonitor.Snapshot s = lag.snapshot();
    long now = clock.millis();
    List<TopicsView.TopicRow> rows = new ArrayList<>();
    for (Role role : Role.values()) {
      String name = topics.name(role);
      TopicTraffic t = state.traffic(name);
      TopicTraffic.Rates rates = t.rates(now);
      LagMonitor.TopicSize size = s.topics().get(name);
      Map<String, Long> lagByGroup = new TreeMap<>();
      for (GroupLag g : s.groups()) {
        if (g.topic().equals(name)) {
          lagByGroup.merge(g.group(), g.lag(), Long::sum);
        }
      }
      rows.add(new TopicsView.TopicRow(name, role.name().toLowerCase(Locale.ROOT),
          size == null ? 0 : size.partitions(), size == null ? 0 : size.endOffsets(), rates.messagesPerSecond(),
          rates.bytesPerSecond(), t.messages(), t.bytes(), t.undecodableCount(), t.lastTimestampMs(), lagByGroup));
    }
    String error = s.error() != null ? s.error() : watcher.lastError();
    return new TopicsView(new TopicsView.BrokerStatus(s.state().name(), error, s.sinceMs(), s.lastSuccessMs()),
        rows, s.groups());
  }

  /** Training curves and label margins. */
  public CurvesView curves() {
    return new CurvesView(state.training().curves(), state.labels().view());
  }

  /** Checkpoint lineage in step order. */
  public List<CheckpointView> checkpoints() {
    return state.training().lineage();
  }

  /** Eval results in arrival order. */
  public List<EvalView> evals() {
    return state.training().evals();
  }

  /** Dead letters. */
  public DlqView dlq() {
    return state.deadLetters().view();
  }

  /** Recent pairs, newest first, joined with their labels. */
  public List<PairView> pairs() {
    return state.gallery().view();
  }

  /** One live tick: topics plus section versions. */
  public LiveUpdate live() {
    return new LiveUpdate(clock.millis(), topics(), state.versions());
  }

  /** Verified image bytes; see {@link BlobImages#get}. */
  public BlobImages.Image image(String sha256, String uri) {
    return images.get(sha256, uri);
  }
}
