package dev.alignloop.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.DeadLetters;
import dev.alignloop.schemas.Decoded;
import dev.alignloop.schemas.SchemaException;
import dev.alignloop.schemas.SchemaException.Kind;
import dev.alignloop.schemas.avro.DeadLetter;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.testing.Samples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Poison messages on a real topic: typed errors with partition and offset, and no stall. */
@ExtendWith(KafkaBrokerExtension.class)
class CorruptMessageTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final AvroSerde<ImagePair> PAIRS = AvroSerde.of(ImagePair.class);

  private final KafkaTestCluster kafka;
  private String topic;

  CorruptMessageTest(KafkaTestCluster kafka) {
    this.kafka = kafka;
  }

  /** Offsets 0..4: valid, random bytes, truncated, unknown fingerprint, valid. */
  @BeforeEach
  void producePoison() {
    topic = kafka.newTopic("poison");
    byte[] valid = PAIRS.encode(topic, Samples.pair("first"));
    byte[] random = new byte[40];
    new Random(1).nextBytes(random);
    random[0] = 0x42; // make sure it is not accidentally a marker
    byte[] truncated = Arrays.copyOf(valid, valid.length / 2);
    byte[] unknown = valid.clone();
    unknown[9] ^= 0x01;
    byte[] last = PAIRS.encode(topic, Samples.pair("last"));
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(kafka.producerProps(), new StringSerializer(), new ByteArraySerializer())) {
      for (byte[] value : List.of(valid, random, truncated, unknown, last)) {
        producer.send(new ProducerRecord<>(topic, 0, "k", value));
      }
      producer.flush();
    }
  }

  @Test
  void throwingDeserializerNamesTopicPartitionOffsetAndTheConsumerCanSkip() {
    List<ImagePair> good = new ArrayList<>();
    List<RecordDeserializationException> errors = new ArrayList<>();
    try (KafkaConsumer<String, ImagePair> consumer =
        new KafkaConsumer<>(kafka.consumerProps(null), new StringDeserializer(), PAIRS.deserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (good.size() < 2 && System.nanoTime() < deadline) {
        try {
          consumer.poll(Duration.ofMillis(100)).forEach(r -> good.add(r.value()));
        } catch (RecordDeserializationException e) {
          errors.add(e);
          consumer.seek(e.topicPartition(), e.offset() + 1); // skip the poison record
        }
      }
    }
    assertEquals(List.of("first", "last"), good.stream().map(ImagePair::getPairId).toList());
    assertEquals(List.of(1L, 2L, 3L), errors.stream().map(RecordDeserializationException::offset).toList());
    List<Kind> kinds = errors.stream().map(e -> assertInstanceOf(SchemaException.class, e.getCause()).kind()).toList();
    assertEquals(List.of(Kind.BAD_MARKER, Kind.TRUNCATED, Kind.UNKNOWN_FINGERPRINT), kinds);
    for (RecordDeserializationException e : errors) {
      String description = DeadLetters.describe(e);
      assertTrue(description.startsWith(topic + "-0@" + e.offset() + " VALUE: "), description);
      assertTrue(description.contains("ImagePair"), description);
    }
    DeadLetter letter = DeadLetters.of(errors.get(2), "test", Samples.T0);
    assertEquals(topic, letter.getSourceTopic());
    assertEquals(3L, letter.getOffset());
    assertEquals(SchemaException.class.getName(), letter.getErrorClass());
  }

  @Test
  void safeDeserializerNeverStallsAndFeedsTheDeadLetterQueue() {
    List<ConsumerRecord<String, Decoded<ImagePair>>> records = kafka.readAll(topic, new StringDeserializer(),
        PAIRS.safeDeserializer(), 5, TIMEOUT);
    assertEquals(List.of(true, false, false, false, true), records.stream().map(r -> r.value().isOk()).toList());

    String dlq = kafka.newTopic("dlq");
    AvroSerde<DeadLetter> letters = AvroSerde.of(DeadLetter.class);
    try (KafkaProducer<String, DeadLetter> producer =
        new KafkaProducer<>(kafka.producerProps(), new StringSerializer(), letters.serializer())) {
      for (var record : records) {
        if (!record.value().isOk()) {
          DeadLetter letter = DeadLetters.of(record, null, "test-service", Samples.T0);
          producer.send(new ProducerRecord<>(dlq, DeadLetters.key(letter), letter));
        }
      }
    }
    List<ConsumerRecord<String, DeadLetter>> dead =
        kafka.readAll(dlq, new StringDeserializer(), letters.deserializer(), 3, TIMEOUT);
    assertEquals(List.of(topic + "-0@1", topic + "-0@2", topic + "-0@3"),
        dead.stream().map(ConsumerRecord::key).toList());
    assertTrue(dead.get(2).value().getReason().startsWith("UNKNOWN_FINGERPRINT"), dead.get(2).value().getReason());
    assertEquals(40, dead.get(0).value().getPayload().remaining());
  }
}
