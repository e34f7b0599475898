package dev.alignloop.streaming.tracking;

import static dev.alignloop.streaming.testing.StreamingKafka.PROMPTS;
import static dev.alignloop.streaming.testing.StreamingKafka.TIMEOUT;
import static dev.alignloop.streaming.testing.StreamingKafka.committed;
import static dev.alignloop.streaming.testing.StreamingKafka.endOffsets;
import static dev.alignloop.streaming.testing.StreamingKafka.prompt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.schemas.avro.PromptRequest;
import dev.alignloop.streaming.BadRecord;
import dev.alignloop.streaming.InputRecord;
import dev.alignloop.streaming.StreamingException;
import dev.alignloop.streaming.testing.StreamingKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The trainer's consumer: positions for checkpoints, resume by seek, commits only when told. */
@ExtendWith(KafkaBrokerExtension.class)
class OffsetTrackingConsumerTest {

  private static final int RECORDS = 21; // 20 labels and one garbage record

  /** Topic with two partitions: {@code l-i} in partition i % 2, garbage at partition 1 offset 2. */
  private static String labelsTopic(KafkaTestCluster kafka) {
    String topic = kafka.newTopic("labels", 2);
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      records.add(new ProducerRecord<>(topic, i % 2, "l-" + i, PROMPTS.encode(topic, prompt("l-" + i, "ai"))));
      if (i == 3) {
        records.add(new ProducerRecord<>(topic, 1, "junk", "garbage".getBytes(StandardCharsets.UTF_8)));
      }
    }
    StreamingKafka.produceRaw(kafka, records);
    return topic;
  }

  private static OffsetTrackingConsumer<PromptRequest> consumer(KafkaTestCluster kafka, String topic, String group) {
    return OffsetTrackingConsumer.<PromptRequest>builder()
        .setKafka(StreamingKafka.settings(kafka))
        .setTopic(topic, PROMPTS.safeDeserializer())
        .setGroupId(group)
        .optMaxPollRecords(4)
        .build();
  }

  /** Hands out exactly {@code n} records (good or bad), 3 at most per poll; returns "partition@offset"s. */
  private static List<String> take(OffsetTrackingConsumer<PromptRequest> consumer, int n, List<BadRecord> bad) {
    List<String> taken = new ArrayList<>();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (taken.size() < n) {
      assertTrue(System.nanoTime() < deadline, "got only " + taken.size() + " of " + n);
      TrackedBatch<PromptRequest> batch = consumer.poll(Math.min(3, n - taken.size()), Duration.ofMillis(200));
      for (InputRecord<PromptRequest> r : batch.records()) {
        taken.add(r.partition() + "@" + r.offset());
      }
      for (BadRecord b : batch.failures()) {
        taken.add(b.raw().partition() + "@" + b.offset());
        bad.add(b);
      }
    }
    return taken;
  }

  @Test
  void positionsResumeExactlyAfterWhatWasHandedOutAndNothingIsCommittedUntilAsked(KafkaTestCluster kafka) {
    String topic = labelsTopic(kafka);
    String group = KafkaTestCluster.uniqueId("trainer");
    List<BadRecord> bad = new ArrayList<>();
    List<String> first;
    Map<TopicPartition, Long> checkpoint;
    try (var labels = consumer(kafka, topic, group)) {
      first = take(labels, 7, bad);
      checkpoint = labels.positions();
      Map<TopicPartition, Long> expected = new HashMap<>();
      for (String at : first) {
        int partition = Integer.parseInt(at.substring(0, at.indexOf('@')));
        long offset = Long.parseLong(at.substring(at.indexOf('@') + 1));
        expected.merge(new TopicPartition(topic, partition), offset + 1, Math::max);
      }
      assertEquals(expected, checkpoint);
      assertTrue(labels.buffered() <= 4 + 3, "bounded buffer, got " + labels.buffered());
      assertEquals(Map.of(), committed(kafka, group), "no commit before commit()");
    }
    assertEquals(Map.of(), committed(kafka, group), "nor on close");

    try (var labels = consumer(kafka, topic, group)) {
      labels.seek(checkpoint);
      List<String> rest = take(labels, RECORDS - first.size(), bad);
      Set<String> all = new HashSet<>(first);
      all.addAll(rest);
      assertEquals(RECORDS, all.size(), "resumed exactly after the checkpoint: no gap, no overlap");
      assertEquals(1, bad.size(), "the garbage record surfaced once, as a failure");
      assertEquals("decode.BAD_MARKER", bad.get(0).category());
      assertEquals("1@2", bad.get(0).raw().partition() + "@" + bad.get(0).offset());

      Map<TopicPartition, Long> end = labels.positions();
      assertEquals(endOffsets(kafka, topic), end);
      assertEquals(Map.of(), committed(kafka, group));
      labels.commit(end); // "the checkpoint is durable"
      assertEquals(end, committed(kafka, group));
      assertEquals(end, labels.committed());

      labels.seek(Map.of()); // partitions missing from the map start at the beginning
      assertEquals(RECORDS, take(labels, RECORDS, new ArrayList<>()).size());
    }
  }

  @Test
  void pauseStopsFetchingAndSeekRejectsForeignPartitions(KafkaTestCluster kafka) {
    String topic = labelsTopic(kafka);
    try (var labels = consumer(kafka, topic, KafkaTestCluster.uniqueId("trainer"))) {
      labels.pause();
      assertTrue(labels.isPaused());
      assertTrue(labels.poll(5, Duration.ofMillis(300)).isEmpty(), "paused: nothing fetched");
      labels.resume();
      assertEquals(5, take(labels, 5, new ArrayList<>()).size());

      assertThrows(StreamingException.class, () -> labels.seek(Map.of(new TopicPartition(topic, 7), 0L)));
      assertThrows(StreamingException.class, () -> labels.seek(Map.of(new TopicPartition("other", 0), 0L)));
      assertThrows(StreamingException.class, () -> labels.commit(Map.of(new TopicPartition(topic, 0), -1L)));
    }
  }

  @Test
  void checkpointOffsetPastTheDataFailsLoudly(KafkaTestCluster kafka) {
    String topic = labelsTopic(kafka);
    try (var labels = consumer(kafka, topic, KafkaTestCluster.uniqueId("trainer"))) {
      labels.seek(Map.of(new TopicPartition(topic, 0), 1_000L));
      StreamingException e = assertThrows(StreamingException.class, () -> {
        for (int i = 0; i < 50; i++) {
          labels.poll(100, Duration.ofMillis(100));
        }
      });
      assertTrue(e.getMessage().contains(topic + "-0"), e.getMessage());
    }
  }
}
