package dev.alignloop.monitor;

import dev.alignloop.common.blob.BlobStoreOptions;
import dev.alignloop.common.config.ConfigKey;
import dev.alignloop.common.kafka.KafkaConfigKeys;
import dev.alignloop.common.kafka.KafkaSettings;
import dev.alignloop.monitor.aggregate.MonitorState;
import dev.alignloop.monitor.kafka.WatchedTopics;
import dev.alignloop.monitor.metrics.MonitorMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Wires the plain (non-Micronaut) building blocks: Kafka and blob-store settings from the shared
 * {@code alignloop.kafka.*} / {@code alignloop.blob.*} keys, the clock, the aggregates and the
 * meters.
 */
@Factory
class MonitorFactory {

  /** Kafka connection, validated by {@link KafkaSettings}. */
  @Singleton
  KafkaSettings kafkaSettings(Environment env) {
    return KafkaSettings.from(lookup(env, KafkaConfigKeys.ALL));
  }

  /** Blob-store backend options for the gallery images. */
  @Singleton
  BlobStoreOptions blobStoreOptions(Environment env) {
    return BlobStoreOptions.from(lookup(env, BlobStoreOptions.ALL));
  }

  /** Wall clock; one bean so tests could swap it. */
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Singleton
  WatchedTopics watchedTopics(MonitorConfig config) {
    return new WatchedTopics(config.topicPrefix());
  }

  @Singleton
  MonitorMetrics monitorMetrics(MeterRegistry registry) {
    return new MonitorMetrics(registry);
  }

  @Singleton
  MonitorState monitorState(WatchedTopics topics, MonitorMetrics metrics, MonitorConfig config) {
    return new MonitorState(topics, metrics, config.history(), config.recentPairs(), config.deadLetters());
  }

  // Micronaut resolves ALIGNLOOP_KAFKA_BOOTSTRAP_SERVERS to alignloop.kafka.bootstrap.servers
  // itself, so property names are enough here.
  private static Map<String, String> lookup(Environment env, List<ConfigKey> keys) {
    Map<String, String> values = new HashMap<>();
    for (ConfigKey key : keys) {
      env.getProperty(key.name(), String.class).ifPresent(v -> values.put(key.name(), v));
    }
    return values;
  }
}
