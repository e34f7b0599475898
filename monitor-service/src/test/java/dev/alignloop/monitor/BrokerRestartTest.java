package dev.alignloop.monitor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.alignloop.broker.BrokerOptions;
import dev.alignloop.broker.EmbeddedKafkaBroker;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.schemas.Topics;
import dev.alignloop.schemas.testing.Samples;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor outlives its broker: while the broker is down the API says {@code UNREACHABLE}
 * (and {@code alignloop_monitor_broker_up} is 0) with the last numbers kept; once it is back on
 * the same address, lag polling and reading resume without a monitor restart, and nothing is
 * counted twice. Uses its own broker (the shared one must stay up for the other tests).
 */
class BrokerRestartTest {

  private static final Duration WAIT = Duration.ofSeconds(40);

  @Test
  void survivesABrokerRestart(@TempDir Path dir) {
    BrokerOptions options = new BrokerOptions(dir, 0, BrokerOptions.DEFAULT_HOST, Map.of());
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(options);
    try (MonitorFixture f = new MonitorFixture(new KafkaTestCluster(broker))) {
      f.start(Map.of("alignloop.monitor.max-backoff", "1s", "alignloop.monitor.request-timeout", "2s"));
      f.send(Topics.PAIRS, "pair-1", Samples.pair("pair-1"));
      await().atMost(WAIT).until(() -> f.topicRow(Topics.PAIRS).get("messagesSeen").asLong() == 1
          && f.topicRow(Topics.PAIRS).get("endOffsets").asLong() == 1);

      broker.close();
      await().atMost(WAIT).until(() -> f.json("/api/topics").at("/broker/state").asText().equals("UNREACHABLE"));
      assertEquals(0, f.prometheus("alignloop_monitor_broker_up", Map.of()));
      assertEquals(1, f.topicRow(Topics.PAIRS).get("endOffsets").asLong(), "last known size kept");

      broker = EmbeddedKafkaBroker.start(options.withPort(broker.port()));
      f.send(Topics.PAIRS, "pair-2", Samples.pair("pair-2"));
      await().atMost(WAIT).until(() -> f.json("/api/topics").at("/broker/state").asText().equals("UP")
          && f.topicRow(Topics.PAIRS).get("endOffsets").asLong() == 2
          && f.topicRow(Topics.PAIRS).get("messagesSeen").asLong() == 2);
      assertEquals(1, f.prometheus("alignloop_monitor_broker_up", Map.of()));
      assertEquals(2, f.json("/api/pairs").size(), "each pair once: the new consumer resumed, not replayed");
    } finally {
      broker.close();
    }
  }
}
