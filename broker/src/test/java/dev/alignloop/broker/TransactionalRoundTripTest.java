package dev.alignloop.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.Topics;
import dev.alignloop.schemas.avro.PromptRequest;
import dev.alignloop.schemas.testing.Samples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every AlignLoop message through the real broker with exactly-once settings. */
@ExtendWith(KafkaBrokerExtension.class)
class TransactionalRoundTripTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void everyMessageTypeRoundTripsInOneTransaction(KafkaTestCluster kafka) {
    List<SpecificRecord> samples = new ArrayList<>(Samples.all());
    samples.addAll(Samples.allMinimal());
    String topic = kafka.newTopic("all-types");
    // Any message type may go on this test topic: serialize each with its own serde.
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
        kafka.transactionalProducerProps(KafkaTestCluster.uniqueId("tx")), new StringSerializer(),
        new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      for (SpecificRecord r : samples) {
        AvroSerde serde = AvroSerde.of(r.getClass());
        producer.send(new ProducerRecord<>(topic, r.getClass().getSimpleName(), serde.serializer().serialize(topic, r)));
      }
      producer.commitTransaction();
    }

    List<ConsumerRecord<String, byte[]>> read = kafka.readAll(topic, new StringDeserializer(),
        new ByteArrayDeserializer(), samples.size(), TIMEOUT);
    List<Object> decoded = read.stream().map(rec -> {
      Class<? extends SpecificRecord> type = samples.stream()
          .filter(s -> s.getClass().getSimpleName().equals(rec.key())).findFirst().orElseThrow().getClass();
      return (Object) AvroSerde.of((Class) type).deserializer().deserialize(topic, rec.value());
    }).toList();
    assertEquals(samples, decoded);
  }

  @Test
  void typedProducerAndConsumerOnTheRealPromptsTopic(KafkaTestCluster kafka) {
    AvroSerde<PromptRequest> serde = AvroSerde.of(PromptRequest.class);
    String id = KafkaTestCluster.uniqueId("prompt");
    try (KafkaProducer<String, PromptRequest> producer = new KafkaProducer<>(
        kafka.transactionalProducerProps(KafkaTestCluster.uniqueId("tx")), new StringSerializer(), serde.serializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(Topics.PROMPTS, id, Samples.prompt(id)));
      producer.commitTransaction();
    }
    // The shared topic has other tests' prompts too: read until ours shows up.
    try (KafkaConsumer<String, PromptRequest> consumer =
        new KafkaConsumer<>(kafka.consumerProps(null), new StringDeserializer(), serde.deserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.PROMPTS).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      assertEquals(3, partitions.size());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<PromptRequest> ours = new ArrayList<>();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (ours.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(r -> {
          if (r.key().equals(id)) {
            ours.add(r.value());
          }
        });
      }
      assertEquals(List.of(Samples.prompt(id)), ours);
    }
  }

  @Test
  void abortedTransactionsAreInvisibleToReadCommitted(KafkaTestCluster kafka) {
    String topic = kafka.newTopic("aborts");
    AvroSerde<PromptRequest> serde = AvroSerde.of(PromptRequest.class);
    try (KafkaProducer<String, PromptRequest> producer = new KafkaProducer<>(
        kafka.transactionalProducerProps(KafkaTestCluster.uniqueId("tx")), new StringSerializer(), serde.serializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "aborted", Samples.prompt("aborted")));
      producer.flush(); // make sure it reached the log before we abort
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "committed", Samples.prompt("committed")));
      producer.commitTransaction();
    }

    List<String> committed = kafka.readAll(topic, new StringDeserializer(), serde.deserializer(), 1, TIMEOUT)
        .stream().map(ConsumerRecord::key).toList();
    assertEquals(List.of("committed"), committed);
    // Everything after 'committed' is a control marker: read_committed is at the end of the log.
    try (KafkaConsumer<String, PromptRequest> consumer =
        new KafkaConsumer<>(kafka.consumerProps(null), new StringDeserializer(), serde.deserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      List<String> keys = new ArrayList<>();
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (consumer.position(tp) < end && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(r -> keys.add(r.key()));
      }
      assertEquals(end, consumer.position(tp));
      assertEquals(List.of("committed"), keys);
    }

    // read_uncommitted does see the aborted record: the test above is not vacuous.
    Map<String, Object> uncommitted = kafka.consumerProps(null);
    uncommitted.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    try (KafkaConsumer<String, PromptRequest> consumer =
        new KafkaConsumer<>(uncommitted, new StringDeserializer(), serde.deserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      assertEquals(List.of("aborted", "committed"),
          KafkaTestCluster.pollUntil(consumer, 2, TIMEOUT).stream().map(ConsumerRecord::key).toList());
    }
  }
}
