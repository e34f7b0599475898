package dev.alignloop.monitor.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.monitor.MonitorConfig;
import dev.alignloop.monitor.aggregate.MonitorState;
import dev.alignloop.monitor.kafka.WatchedTopics;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.Topics;
import dev.alignloop.schemas.testing.Samples;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The exported Prometheus names, the README table and the Grafana dashboard agree: every
 * {@code alignloop_*} family the monitor exports is documented, and every one the dashboard
 * queries is exported. Likewise every {@link MonitorConfig} key has a README row.
 */
class MetricsContractTest {

  private static final Pattern NAME = Pattern.compile("alignloop_[a-z_]+");
  private static final Pattern SUFFIX = Pattern.compile("_(bucket|count|sum|max)$");

  @Test
  void readmeAndGrafanaMatchTheExportedNames() throws IOException {
    Set<String> exported = exportedFamilies();
    assertTrue(exported.contains("alignloop_consumer_lag"), exported.toString());

    Set<String> documented = names(Files.readString(Path.of("README-metrics.md")));
    assertEquals(exported, documented, "README-metrics.md table vs /prometheus");

    // The dashboard ships with the Kubernetes deployment (deploy/observability/grafana).
    String grafana = Files.readString(Path.of("..", "deploy", "observability", "grafana", "alignloop-monitor.json"));
    Set<String> queried = names(grafana);
    queried.removeAll(exported);
    assertEquals(Set.of(), queried, "Grafana queries metrics nobody exports");
  }

  @Test
  void readmeDocumentsEveryConfigKey() throws IOException {
    String readme = Files.readString(Path.of("README-metrics.md"));
    for (RecordComponent c : MonitorConfig.class.getRecordComponents()) {
      String key = c.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
      assertTrue(readme.contains("| `" + key + "` |"), "alignloop.monitor." + key + " missing from README-metrics.md");
    }
  }

  /** Families exported after one record of each type and one lag value. */
  private static Set<String> exportedFamilies() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MonitorMetrics metrics = new MonitorMetrics(registry);
    WatchedTopics topics = new WatchedTopics("");
    MonitorState state = new MonitorState(topics, metrics, 10, 4, 10);
    long offset = 0;
    for (SpecificRecord r : Samples.all()) {
      String topic = topicOf(r);
      @SuppressWarnings({"unchecked", "rawtypes"})
      byte[] value = ((AvroSerde) AvroSerde.of(r.getClass())).encode(topic, r);
      state.accept(new ConsumerRecord<>(topic, 0, offset++, null, value), System.currentTimeMillis());
    }
    metrics.lag("g", Topics.PAIRS, 0, 3);
    metrics.gauge(MonitorMetrics.BROKER_UP, "up", state, s -> 1);
    metrics.gauge(MonitorMetrics.TOPIC_END_OFFSETS, "topic", Topics.PAIRS, "size", state, s -> 1);
    return names(registry.scrape());
  }

  private static String topicOf(SpecificRecord r) {
    for (WatchedTopics.Role role : WatchedTopics.Role.values()) {
      if (role.serde().type() == r.getClass()) {
        return role.baseName();
      }
    }
    throw new AssertionError(r.getClass());
  }

  /** Metric families named in {@code text}, histogram series folded into their family. */
  private static Set<String> names(String text) {
    Set<String> out = new TreeSet<>();
    Matcher m = NAME.matcher(text);
    while (m.find()) {
      out.add(SUFFIX.matcher(m.group()).replaceAll(""));
    }
    return out;
  }
}
