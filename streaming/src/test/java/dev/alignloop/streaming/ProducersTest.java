package dev.alignloop.streaming;

import static dev.alignloop.streaming.testing.StreamingKafka.PROMPTS;
import static dev.alignloop.streaming.testing.StreamingKafka.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.schemas.avro.PromptRequest;
import dev.alignloop.streaming.testing.StreamingKafka;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class ProducersTest {

  @Test
  void sendAllDeliversEveryPromptKeyedById(KafkaTestCluster kafka) {
    String topic = kafka.newTopic("sources", 3);
    List<PromptRequest> prompts = IntStream.range(0, 25).mapToObj(i -> StreamingKafka.prompt("s-" + i, "file")).toList();
    try (SourceProducer<PromptRequest> producer = Producers.idempotent(StreamingKafka.settings(kafka), PROMPTS.serializer())) {
      assertEquals(25, producer.sendAll(topic, prompts, PromptRequest::getId, TIMEOUT));
    }
    List<ConsumerRecord<String, PromptRequest>> read = StreamingKafka.readToEnd(kafka, topic, PROMPTS.deserializer(), true);
    assertEquals(25, read.size());
    read.forEach(r -> assertEquals(r.key(), r.value().getId()));
  }

  @Test
  void refusesToTurnIdempotenceOff(KafkaTestCluster kafka) {
    assertThrows(IllegalArgumentException.class, () -> Producers.idempotent(StreamingKafka.settings(kafka),
        PROMPTS.serializer(), Map.of("enable.idempotence", "false")));
  }
}
