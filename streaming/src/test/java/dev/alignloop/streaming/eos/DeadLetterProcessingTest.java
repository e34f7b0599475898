package dev.alignloop.streaming.eos;

import static dev.alignloop.streaming.testing.StreamingKafka.PROMPTS;
import static dev.alignloop.streaming.testing.StreamingKafka.TIMEOUT;
import static dev.alignloop.streaming.testing.StreamingKafka.caughtUp;
import static dev.alignloop.streaming.testing.StreamingKafka.prompt;
import static dev.alignloop.streaming.testing.StreamingKafka.readToEnd;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.SchemaException;
import dev.alignloop.schemas.avro.DeadLetter;
import dev.alignloop.schemas.avro.PromptRequest;
import dev.alignloop.streaming.RecordDecoder;
import dev.alignloop.streaming.RejectedRecordException;
import dev.alignloop.streaming.testing.StreamingKafka;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad input goes to the DLQ, in the batch's transaction, and what follows it is processed. */
@ExtendWith(KafkaBrokerExtension.class)
class DeadLetterProcessingTest {

  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.678Z");

  @Test
  void garbageTombstonesAndRejectionsAreDeadLetteredAndValidRecordsAfterThemProcessed(KafkaTestCluster kafka) {
    String in = kafka.newTopic("dlq-in");
    String out = kafka.newTopic("dlq-out");
    String dlq = kafka.newTopic("dlq");
    String group = KafkaTestCluster.uniqueId("g");
    byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
    byte[] flagged = PROMPTS.encode(in, prompt("p-1", "flagged"));
    StreamingKafka.produceRaw(kafka, List.of(
        new ProducerRecord<>(in, "p-0", PROMPTS.encode(in, prompt("p-0", "grammar"))),  // offset 0
        new ProducerRecord<>(in, "junk", garbage),                                       // 1
        new ProducerRecord<>(in, "p-1", flagged),                                        // 2
        new ProducerRecord<>(in, "gone", null),                                          // 3
        new ProducerRecord<>(in, "p-2", PROMPTS.encode(in, prompt("p-2", "grammar")))));  // 4

    BatchHandler<PromptRequest, PromptRequest> handler = BatchHandler.perRecord(r ->
        r.value().getSource().equals("flagged")
            ? Outcome.reject("prompt is flagged", new IllegalArgumentException("source=flagged"))
            : Outcome.emit(out, r.key(), prompt(r.key(), "echo")));
    RecordingListener report = new RecordingListener();
    try (var p = ExactlyOnceProcessor.<PromptRequest, PromptRequest>builder()
        .setKafka(StreamingKafka.settings(kafka))
        .setInput(in, PROMPTS.safeDeserializer())
        .setOutput(PROMPTS.serializer())
        .setGroupId(group)
        .setTransactionalId(KafkaTestCluster.uniqueId("tx"), "0")
        .setService("test-service")
        .setHandler(handler)
        .optMaxPollRecords(2) // the bad records are spread over several transactions
        .optPollTimeout(Duration.ofMillis(100))
        .optDeadLetterTopic(dlq)
        .optClock(Clock.fixed(NOW, ZoneOffset.UTC))
        .optListener(report)
        .build().start()) {
      await().atMost(TIMEOUT).until(() -> caughtUp(kafka, group, in));
    }

    assertEquals(List.of("p-0", "p-2"),
        readToEnd(kafka, out, PROMPTS.deserializer(), true).stream().map(ConsumerRecord::key).toList());

    Map<Long, ConsumerRecord<String, DeadLetter>> letters =
        readToEnd(kafka, dlq, AvroSerde.of(DeadLetter.class).deserializer(), true).stream()
            .collect(Collectors.toMap(r -> r.value().getOffset(), r -> r));
    assertEquals(List.of(1L, 2L, 3L), letters.keySet().stream().sorted().toList());

    ConsumerRecord<String, DeadLetter> junk = letters.get(1L);
    assertEquals(in + "-0@1", junk.key());
    assertEquals(in, junk.value().getSourceTopic());
    assertEquals(0, junk.value().getPartition());
    assertArrayEquals(garbage, bytes(junk.value().getPayload()), "payload exactly as received");
    assertArrayEquals("junk".getBytes(StandardCharsets.UTF_8), bytes(junk.value().getKey()));
    assertEquals(SchemaException.class.getName(), junk.value().getErrorClass());
    assertTrue(junk.value().getReason().startsWith("BAD_MARKER"), junk.value().getReason());
    assertEquals("test-service", junk.value().getService());
    assertEquals(NOW, junk.value().getFailedAt());

    DeadLetter rejected = letters.get(2L).value();
    assertEquals(IllegalArgumentException.class.getName(), rejected.getErrorClass());
    assertEquals("prompt is flagged: source=flagged", rejected.getReason());
    assertArrayEquals(flagged, bytes(rejected.getPayload()), "the original bytes, not a re-encoding");

    DeadLetter tombstone = letters.get(3L).value();
    assertNull(tombstone.getPayload());
    assertEquals(RecordDecoder.NullValueException.class.getName(), tombstone.getErrorClass());

    assertEquals(Map.of("decode.BAD_MARKER", 1, "rejected", 1, "null-value", 1),
        report.deadLettersByCategory.entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get())));
    assertEquals(5, report.recordsIn.get());
    assertEquals(2, report.recordsOut.get());
  }

  @Test
  void rejectionWithoutExceptionNamesTheReason(KafkaTestCluster kafka) {
    String in = kafka.newTopic("reject-in");
    String dlq = kafka.newTopic("reject-dlq");
    String group = KafkaTestCluster.uniqueId("g");
    StreamingKafka.producePrompts(kafka, in, "r", 1);
    try (var p = ExactlyOnceProcessor.<PromptRequest, PromptRequest>builder()
        .setKafka(StreamingKafka.settings(kafka))
        .setInput(in, PROMPTS.safeDeserializer())
        .setOutput(PROMPTS.serializer())
        .setGroupId(group)
        .setTransactionalId(KafkaTestCluster.uniqueId("tx"), "0")
        .setService("test-service")
        .setHandler(BatchHandler.perRecord(r -> Outcome.reject("prompt too long")))
        .optPollTimeout(Duration.ofMillis(100))
        .optDeadLetterTopic(dlq)
        .build().start()) {
      await().atMost(TIMEOUT).until(() -> caughtUp(kafka, group, in));
    }
    DeadLetter letter = readToEnd(kafka, dlq, AvroSerde.of(DeadLetter.class).deserializer(), true).get(0).value();
    assertEquals(RejectedRecordException.class.getName(), letter.getErrorClass());
    assertEquals("prompt too long", letter.getReason());
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] b = new byte[copy.remaining()];
    copy.get(b);
    return b;
  }
}
