package dev.alignloop.monitor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.schemas.Topics;
import dev.alignloop.schemas.testing.Samples;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lag is exact: a group consumes and commits, stops, K more records arrive, and the API and the
 * Prometheus gauge both say K. Meanwhile the monitor has read every record without committing
 * anything for that group, or creating any group of its own.
 */
@ExtendWith(KafkaBrokerExtension.class)
class LagTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int CONSUMED = 5;
  private static final int K = 7;

  @Test
  void stoppedGroupShowsLagKAndTheMonitorCommitsNothing(KafkaTestCluster kafka) throws Exception {
    try (MonitorFixture f = new MonitorFixture(kafka); Admin admin = kafka.admin()) {
      String group = KafkaTestCluster.uniqueId("scorer");
      String pairs = f.topic(Topics.PAIRS);
      for (int i = 0; i < CONSUMED; i++) {
        f.send(Topics.PAIRS, "pair-" + i, Samples.pair("pair-" + i));
      }
      // A service's consumer: reads everything, commits, stops.
      try (KafkaConsumer<String, byte[]> consumer =
          new KafkaConsumer<>(kafka.consumerProps(group), new StringDeserializer(), new ByteArrayDeserializer())) {
        consumer.subscribe(List.of(pairs));
        KafkaTestCluster.pollUntil(consumer, CONSUMED, WAIT);
        consumer.commitSync();
      }
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      assertEquals(CONSUMED, committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum());

      f.start(Map.of());
      for (int i = 0; i < K; i++) {
        f.send(Topics.PAIRS, "late-" + i, Samples.pair("late-" + i));
      }

      await().atMost(WAIT).until(() -> groupLag(f.json("/api/topics"), group) == K);
      JsonNode topics = f.json("/api/topics");
      assertEquals(K, f.topicRow(Topics.PAIRS).at("/lagByGroup/" + group).asLong());
      assertEquals(CONSUMED + K, f.topicRow(Topics.PAIRS).get("endOffsets").asLong());
      for (JsonNode g : topics.get("groups")) {
        if (g.get("group").asText().equals(group)) {
          assertEquals("EMPTY", g.get("state").asText());
          assertEquals(g.get("endOffset").asLong() - g.get("committed").asLong(), g.get("lag").asLong());
        }
      }
      double gaugeSum = 0;
      for (int p = 0; p < 3; p++) {
        double v = f.prometheus("alignloop_consumer_lag",
            Map.of("group", group, "topic", pairs, "partition", Integer.toString(p)));
        gaugeSum += Double.isNaN(v) ? 0 : v;
      }
      assertEquals(K, gaugeSum, "alignloop_consumer_lag summed over partitions");

      // The monitor read all of it (so it was busy reading and polling lag) ...
      await().atMost(WAIT).until(() -> f.topicRow(Topics.PAIRS).get("messagesSeen").asLong() == CONSUMED + K);
      long polledAt = f.json("/api/topics").at("/broker/lastSuccessMs").asLong();
      await().atMost(WAIT).until(() -> f.json("/api/topics").at("/broker/lastSuccessMs").asLong() > polledAt);
      // ... yet the group's offsets are untouched and no monitor group exists at all.
      assertEquals(committed, admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get());
      assertTrue(admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().isEmpty());
      for (GroupListing g : admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get()) {
        assertTrue(!g.groupId().contains("monitor"), "the monitor must not create a group: " + g);
      }
    }
  }

  private static long groupLag(JsonNode topics, String group) {
    long sum = 0;
    for (JsonNode g : topics.get("groups")) {
      if (g.get("group").asText().equals(group)) {
        sum += g.get("lag").asLong();
      }
    }
    return sum;
  }
}
