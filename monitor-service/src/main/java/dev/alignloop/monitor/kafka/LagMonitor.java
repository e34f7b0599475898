package dev.alignloop.monitor.kafka;

import dev.alignloop.common.kafka.KafkaSettings;
import dev.alignloop.monitor.MonitorConfig;
import dev.alignloop.monitor.api.TopicsView.GroupLag;
import dev.alignloop.monitor.metrics.MonitorMetrics;
import io.micrometer.core.instrument.Tags;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer-group lag and topic sizes, fetched every {@code lag-interval} with the AdminClient:
 * {@code listGroups} (consumer groups), {@code listConsumerGroupOffsets} (all groups in one
 * call), {@code describeTopics} (partitions of the watched topics) and {@code listOffsets}
 * (latest, read_committed: the last stable offset, so an open transaction is not counted as lag).
 * Lag is {@code max(0, end - committed)} per group partition, exported as the gauge {@code
 * alignloop_consumer_lag{group,topic,partition}}.
 *
 * <p>Read-only: it lists and describes, never alters offsets or groups. When a call fails (the
 * broker is down, restarting, unreachable) the snapshot turns {@link State#UNREACHABLE} with the
 * error, keeping the last known numbers, the Admin client is closed, and a new one is tried after
 * an exponential {@link Backoff}; the first success turns it {@link State#UP} again.
 */
@Context
public final class LagMonitor implements AutoCloseable {

  /** Whether the cluster answers. */
  public enum State { STARTING, UP, UNREACHABLE }

  /** Size of one watched topic. */
  public record TopicSize(int partitions, long endOffsets) {}

  /**
   * The last fetch.
   *
   * @param state whether the last fetch worked
   * @param error why it did not, else null
   * @param sinceMs when {@code state} began
   * @param lastSuccessMs when numbers were last fetched (0: never)
   * @param topics sizes of the watched topics that exist
   * @param groups lag per group partition, sorted by group, topic, partition
   */
  public record Snapshot(State state, String error, long sinceMs, long lastSuccessMs, Map<String, TopicSize> topics,
      List<GroupLag> groups) {}

  private static final Logger LOG = LoggerFactory.getLogger(LagMonitor.class);

  private final KafkaSettings kafka;
  private final MonitorConfig config;
  private final WatchedTopics topics;
  private final MonitorMetrics metrics;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Backoff backoff;
  private Admin admin; // scheduler thread only
  private volatile Snapshot snapshot;
  private volatile boolean closed;

  /** Creates the monitor; {@link #start()} begins polling (called by the container). */
  public LagMonitor(KafkaSettings kafka, MonitorConfig config, WatchedTopics topics, MonitorMetrics metrics,
      Clock clock) {
    this.kafka = kafka;
    this.config = config;
    this.topics = topics;
    this.metrics = metrics;
    this.clock = clock;
    this.backoff = new Backoff(config.maxBackoff());
    this.snapshot = new Snapshot(State.STARTING, null, clock.millis(), 0, Map.of(), List.of());
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, config.clientName() + "-lag");
      t.setDaemon(true);
      return t;
    });
    metrics.gauge(MonitorMetrics.BROKER_UP, "1 while the monitor's AdminClient reaches the cluster", this,
        m -> m.snapshot.state() == State.UP ? 1 : 0);
    for (String topic : topics.names()) {
      metrics.gauge(MonitorMetrics.TOPIC_END_OFFSETS, "topic", topic,
          "Sum of the topic's partition end offsets (read_committed)", this, m -> {
            TopicSize size = m.snapshot.topics().get(topic);
            return size == null ? Double.NaN : size.endOffsets();
          });
    }
  }

  /** Begins polling at once. */
  @PostConstruct
  public void start() {
    scheduler.execute(this::tick);
  }

  /** The latest snapshot (never null). */
  public Snapshot snapshot() {
    return snapshot;
  }

  private void tick() {
    if (closed) {
      return;
    }
    Duration delay;
    try {
      Snapshot fresh = fetch();
      if (snapshot.state() != State.UP) {
        LOG.info("Kafka cluster reachable at {}", kafka.bootstrapServers());
      }
      snapshot = fresh;
      backoff.reset();
      delay = config.lagInterval();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Exception e) {
      if (closed) {
        return;
      }
      String error = describe(e);
      Snapshot old = snapshot;
      if (old.state() != State.UNREACHABLE) {
        LOG.warn("Kafka cluster at {} unreachable: {}", kafka.bootstrapServers(), error);
      }
      snapshot = new Snapshot(State.UNREACHABLE, error,
          old.state() == State.UNREACHABLE ? old.sinceMs() : clock.millis(), old.lastSuccessMs(), old.topics(),
          old.groups());
      closeAdmin();
      delay = backoff.nextDelay();
    }
    try {
      scheduler.schedule(this::tick, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // close() shut the scheduler down while this tick ran: nothing more to do.
    }
  }

  private Snapshot fetch() throws Exception {
    if (admin == null) {
      admin = Admin.create(adminProperties());
    }
    long timeout = config.requestTimeout().toMillis();
    Set<String> existing = admin.listTopics().names().get(timeout, TimeUnit.MILLISECONDS);
    List<String> watched = topics.names().stream().filter(existing::contains).toList();
    Map<String, TopicDescription> described = watched.isEmpty() ? Map.of()
        : admin.describeTopics(watched).allTopicNames().get(timeout, TimeUnit.MILLISECONDS);

    Collection<GroupListing> groups =
        admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get(timeout, TimeUnit.MILLISECONDS);
    Map<String, String> groupStates = new HashMap<>();
    Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
    for (GroupListing g : groups) {
      groupStates.put(g.groupId(), g.groupState().map(Enum::name).orElse("UNKNOWN"));
      specs.put(g.groupId(), new ListConsumerGroupOffsetsSpec());
    }
    Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = specs.isEmpty() ? Map.of()
        : admin.listConsumerGroupOffsets(specs).all().get(timeout, TimeUnit.MILLISECONDS);

    Set<TopicPartition> partitions = new HashSet<>();
    described.values().forEach(d -> d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition()))));
    committed.values().forEach(m -> m.forEach((tp, om) -> {
      if (om != null && existing.contains(tp.topic())) {
        partitions.add(tp);
      }
    }));
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
    Map<TopicPartition, ListOffsetsResultInfo> ends = request.isEmpty() ? Map.of()
        : admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
            .get(timeout, TimeUnit.MILLISECONDS);

    Map<String, TopicSize> sizes = new HashMap<>();
    for (TopicDescription d : described.values()) {
      long sum = d.partitions().stream()
          .mapToLong(p -> endOffset(ends, new TopicPartition(d.name(), p.partition()))).sum();
      sizes.put(d.name(), new TopicSize(d.partitions().size(), sum));
    }
    List<GroupLag> lags = new ArrayList<>();
    Set<Tags> live = new HashSet<>();
    committed.forEach((group, offsets) -> offsets.forEach((tp, om) -> {
      ListOffsetsResultInfo end = ends.get(tp);
      if (om == null || end == null) {
        return;
      }
      long lag = Math.max(0, end.offset() - om.offset());
      lags.add(new GroupLag(group, groupStates.getOrDefault(group, "UNKNOWN"), tp.topic(), tp.partition(),
          om.offset(), end.offset(), lag));
      metrics.lag(group, tp.topic(), tp.partition(), lag);
      live.add(MonitorMetrics.lagTags(group, tp.topic(), tp.partition()));
    }));
    metrics.retainLags(live);
    lags.sort(Comparator.comparing(GroupLag::group).thenComparing(GroupLag::topic)
        .thenComparingInt(GroupLag::partition));
    long now = clock.millis();
    long since = snapshot.state() == State.UP ? snapshot.sinceMs() : now;
    return new Snapshot(State.UP, null, since, now, Map.copyOf(sizes), List.copyOf(lags));
  }

  private String describe(Exception e) {
    if (e instanceof TimeoutException) {
      return "no answer from " + kafka.bootstrapServers() + " within " + config.requestTimeout().toMillis() + " ms";
    }
    return e instanceof ExecutionException && e.getCause() != null ? e.getCause().toString() : e.toString();
  }

  private static long endOffset(Map<TopicPartition, ListOffsetsResultInfo> ends, TopicPartition tp) {
    ListOffsetsResultInfo info = ends.get(tp);
    return info == null ? 0 : info.offset();
  }

  private Properties adminProperties() {
    Properties p = kafka.admin();
    // Fail a call within request-timeout so "unreachable" shows promptly; the defaults wait a minute.
    long timeout = config.requestTimeout().toMillis();
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1000, timeout / 2)));
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout));
    p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
    return p;
  }

  private void closeAdmin() {
    if (admin != null) {
      try {
        admin.close(Duration.ZERO);
      } catch (RuntimeException e) {
        LOG.debug("Closing the admin client failed", e);
      }
      admin = null;
    }
  }

  /** Stops polling and closes the Admin client. */
  @PreDestroy
  @Override
  public void close() {
    closed = true;
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeAdmin();
  }
}
