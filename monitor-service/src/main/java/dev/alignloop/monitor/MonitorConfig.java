package dev.alignloop.monitor;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Monitor settings, {@code alignloop.monitor.*} (environment: {@code ALIGNLOOP_MONITOR_*}).
 * Kafka connection settings are the shared {@code alignloop.kafka.*} keys ({@link
 * dev.alignloop.common.kafka.KafkaConfigKeys}).
 *
 * @param instance names this monitor's Kafka clients ({@code alignloop-monitor-<instance>}); set
 *     it to the pod name when several monitors run
 * @param topicPrefix prepended to every AlignLoop topic name (empty in production; lets several
 *     loops, or isolated tests, share one cluster)
 * @param history points kept per series (training metric, label margins) and checkpoints/evals
 *     kept; the memory bound of the monitor
 * @param recentPairs pairs shown in the gallery
 * @param deadLetters dead letters kept for the DLQ browser
 * @param lagInterval how often consumer lag and topic end offsets are fetched
 * @param refreshInterval how often the watcher looks for new topics and partitions
 * @param maxBackoff longest wait between reconnection attempts while the broker is unreachable
 * @param requestTimeout how long one Kafka metadata or admin call may take before the broker
 *     counts as unreachable
 * @param streamInterval period of the live-update (Server-Sent Events) ticks
 * @param blobStore base URI of the blob store the gallery images are read from ({@code
 *     file:/...} or {@code s3://...}); unset disables {@code /api/images}
 */
@ConfigurationProperties("alignloop.monitor")
public record MonitorConfig(
    @Bindable(defaultValue = "local") String instance,
    @Bindable(defaultValue = "") String topicPrefix,
    @Bindable(defaultValue = "500") int history,
    @Bindable(defaultValue = "24") int recentPairs,
    @Bindable(defaultValue = "200") int deadLetters,
    @Bindable(defaultValue = "5s") Duration lagInterval,
    @Bindable(defaultValue = "10s") Duration refreshInterval,
    @Bindable(defaultValue = "30s") Duration maxBackoff,
    @Bindable(defaultValue = "10s") Duration requestTimeout,
    @Bindable(defaultValue = "2s") Duration streamInterval,
    @Nullable String blobStore) {

  /** Validates; messages name the {@code alignloop.monitor.*} key. */
  public MonitorConfig {
    if (instance == null || !instance.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "alignloop.monitor.instance must be letters, digits, '.', '_' or '-', got '" + instance + "'");
    }
    topicPrefix = topicPrefix == null ? "" : topicPrefix.strip();
    requirePositive("history", history);
    requirePositive("recent-pairs", recentPairs);
    requirePositive("dead-letters", deadLetters);
    requirePositive("lag-interval", lagInterval);
    requirePositive("refresh-interval", refreshInterval);
    requirePositive("max-backoff", maxBackoff);
    requirePositive("request-timeout", requestTimeout);
    requirePositive("stream-interval", streamInterval);
    blobStore = blobStore == null || blobStore.isBlank() ? null : blobStore.strip();
  }

  /** The Kafka client name, also used as {@code client.id} stem. */
  public String clientName() {
    return "alignloop-monitor-" + instance;
  }

  private static void requirePositive(String key, int value) {
    if (value < 1) {
      throw new IllegalArgumentException("alignloop.monitor." + key + " must be >= 1, got " + value);
    }
  }

  private static void requirePositive(String key, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("alignloop.monitor." + key + " must be > 0, got " + value);
    }
  }
}
