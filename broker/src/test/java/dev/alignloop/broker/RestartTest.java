package dev.alignloop.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.TopicSpec;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.testing.Samples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data survives a broker restart on the same directory, which is not formatted twice; a second
 * broker on a directory in use is refused.
 */
class RestartTest {

  @Test
  void messagesSurviveARestartOnTheSameDataDir(@TempDir Path dataDir) {
    BrokerOptions options = new BrokerOptions(dataDir, 0, BrokerOptions.DEFAULT_HOST, Map.of());
    AvroSerde<Checkpoint> serde = AvroSerde.of(Checkpoint.class);
    String topic = "restart-test";
    String clusterId;

    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(options)) {
      assertTrue(broker.freshlyFormatted());
      clusterId = broker.clusterId();
      assertEquals(List.of(topic), broker.createTopics(List.of(new TopicSpec(topic, 1, (short) 1, Map.of()))));
      BrokerException inUse = assertThrows(BrokerException.class, () -> EmbeddedKafkaBroker.start(options));
      assertTrue(inUse.getMessage().contains("in use by another Kafka broker"), inUse.getMessage());
      KafkaTestCluster kafka = new KafkaTestCluster(broker);
      try (KafkaProducer<String, Checkpoint> producer =
          new KafkaProducer<>(kafka.producerProps(), new StringSerializer(), serde.serializer())) {
        producer.send(new ProducerRecord<>(topic, "v7", Samples.checkpoint("v7")));
        producer.flush();
      }
    }
    assertTrue(Files.exists(dataDir.resolve("logs/meta.properties")));
    assertTrue(Files.exists(dataDir.resolve("server.properties")));

    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(options)) {
      assertFalse(broker.freshlyFormatted(), "an existing data dir must not be reformatted");
      assertEquals(clusterId, broker.clusterId());
      assertEquals(List.of(), broker.createTopics(List.of(new TopicSpec(topic, 1, (short) 1, Map.of()))),
          "createTopics is idempotent");
      var records = new KafkaTestCluster(broker)
          .readAll(topic, new StringDeserializer(), serde.deserializer(), 1, Duration.ofSeconds(30));
      assertEquals(Samples.checkpoint("v7"), records.get(0).value());
    }
  }
}
