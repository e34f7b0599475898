package dev.alignloop.monitor;

import dev.alignloop.common.blob.BlobStoreOptions;
import dev.alignloop.monitor.aggregate.MonitorState;
import dev.alignloop.monitor.kafka.WatchedTopics;
import dev.alignloop.monitor.metrics.MonitorMetrics;
import dev.alignloop.servicekit.CoreBeans;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;

/**
 * Wires the plain (non-Micronaut) building blocks: blob-store options from the shared
 * {@code alignloop.blob.*} keys, the aggregates and the meters. Kafka settings and the clock come
 * from the service kit's {@link CoreBeans}, like every service's.
 */
@Factory
class MonitorFactory {

  /** Blob-store backend options for the gallery images. */
  @Singleton
  BlobStoreOptions blobStoreOptions(Environment env) {
    return BlobStoreOptions.from(CoreBeans.collect(env, BlobStoreOptions.ALL));
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
}
