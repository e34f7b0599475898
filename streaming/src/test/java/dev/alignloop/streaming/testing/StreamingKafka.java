package dev.alignloop.streaming.testing;

import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.common.kafka.KafkaSettings;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.avro.PromptRequest;
import dev.alignloop.schemas.testing.Samples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Test helpers on top of {@link KafkaTestCluster}: inputs in, outputs and offsets out. */
public final class StreamingKafka {

  public static final AvroSerde<PromptRequest> PROMPTS = AvroSerde.of(PromptRequest.class);
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private StreamingKafka() {}

  public static KafkaSettings settings(KafkaTestCluster kafka) {
    return KafkaSettings.plaintext(kafka.bootstrapServers(), "streaming-test");
  }

  /** A prompt whose id is also its key. */
  public static PromptRequest prompt(String id, String source) {
    PromptRequest p = Samples.prompt(id);
    p.setSource(source);
    return p;
  }

  /** Produces ids {@code prefix-0 .. prefix-(n-1)} as prompts keyed by id; returns the ids. */
  public static List<String> producePrompts(KafkaTestCluster kafka, String topic, String prefix, int n) {
    List<String> ids = new ArrayList<>();
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = prefix + "-" + i;
      ids.add(id);
      records.add(new ProducerRecord<>(topic, id, PROMPTS.encode(topic, prompt(id, "grammar"))));
    }
    produceRaw(kafka, records);
    return ids;
  }

  /** Sends raw records (any bytes, null values) and waits for the acks. */
  public static void produceRaw(KafkaTestCluster kafka, List<ProducerRecord<String, byte[]>> records) {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(kafka.producerProps(), new StringSerializer(), new ByteArraySerializer())) {
      List<Future<?>> acks = new ArrayList<>();
      for (ProducerRecord<String, byte[]> r : records) {
        acks.add(producer.send(r));
      }
      producer.flush();
      for (var ack : acks) {
        ack.get();
      }
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError("produce failed", e);
    }
  }

  /**
   * Reads a topic from the beginning to its current end: with {@code committedOnly} the last
   * stable offset (so nothing is pending), else the high watermark including aborted data.
   */
  public static <V> List<ConsumerRecord<String, V>> readToEnd(KafkaTestCluster kafka, String topic,
      Deserializer<V> values, boolean committedOnly) {
    Map<String, Object> props = kafka.consumerProps(null);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
    try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
      List<TopicPartition> tps = consumer.partitionsFor(topic, TIMEOUT).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> end = consumer.endOffsets(tps, TIMEOUT);
      List<ConsumerRecord<String, V>> records = new ArrayList<>();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to " + end + " within " + TIMEOUT);
        }
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
      return records;
    }
  }

  /** The group's committed offsets (empty map if none). */
  public static Map<TopicPartition, Long> committed(KafkaTestCluster kafka, String group) {
    try (Admin admin = kafka.admin()) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, Long> result = new HashMap<>();
      offsets.forEach((tp, om) -> {
        if (om != null) {
          result.put(tp, om.offset());
        }
      });
      return result;
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError("listConsumerGroupOffsets(" + group + ") failed", e);
    }
  }

  /** Log end offset of every partition of {@code topic}. */
  public static Map<TopicPartition, Long> endOffsets(KafkaTestCluster kafka, String topic) {
    try (Admin admin = kafka.admin()) {
      int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        request.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      Map<TopicPartition, Long> result = new HashMap<>();
      admin.listOffsets(request).all().get().forEach((tp, info) -> result.put(tp, info.offset()));
      return result;
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError("listOffsets(" + topic + ") failed", e);
    }
  }

  /** True once {@code group} has committed the end of every partition of {@code topic}. */
  public static boolean caughtUp(KafkaTestCluster kafka, String group, String topic) {
    Map<TopicPartition, Long> committed = committed(kafka, group);
    return endOffsets(kafka, topic).entrySet().stream()
        .allMatch(e -> e.getValue() == 0 || e.getValue().equals(committed.get(e.getKey())));
  }
}
