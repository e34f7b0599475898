package dev.alignloop.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.Topics;
import dev.alignloop.schemas.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DeadLetterRouterTest {

  private static final Instant NOW = Instant.parse("2026-03-04T05:06:07.089Z");
  private final DeadLetterRouter router = new DeadLetterRouter("scorer-service", Clock.fixed(NOW, ZoneOffset.UTC));

  private static ConsumerRecord<byte[], byte[]> record() {
    return new ConsumerRecord<>(Topics.PAIRS, 2, 41L, "pair-9".getBytes(StandardCharsets.UTF_8),
        new byte[] {1, 2, 3});
  }

  @Test
  void routesToTheDlqKeyedByTopicPartitionOffset() {
    ProducerRecord<String, byte[]> out = router.route(record(), "missing blob", new IllegalStateException("404"));
    assertEquals(Topics.DLQ, out.topic());
    assertEquals(Topics.PAIRS + "-2@41", out.key());

    DeadLetter letter = AvroSerde.of(DeadLetter.class).decode(out.topic(), out.value());
    assertEquals(Topics.PAIRS, letter.getSourceTopic());
    assertEquals(2, letter.getPartition());
    assertEquals(41L, letter.getOffset());
    assertEquals(ByteBuffer.wrap("pair-9".getBytes(StandardCharsets.UTF_8)), letter.getKey());
    assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3}), letter.getPayload());
    assertEquals(IllegalStateException.class.getName(), letter.getErrorClass());
    assertEquals("missing blob: 404", letter.getReason());
    assertEquals(NOW, letter.getFailedAt());
    assertEquals("scorer-service", letter.getService());
  }

  @Test
  void reasonAloneOrErrorAlone() {
    DeadLetter reasonOnly = router.letter(record(), "prompt is empty", null);
    assertEquals(RejectedRecordException.class.getName(), reasonOnly.getErrorClass());
    assertEquals("prompt is empty", reasonOnly.getReason());

    DeadLetter errorOnly = router.letter(record(), null, new ArithmeticException("NaN score"));
    assertEquals(ArithmeticException.class.getName(), errorOnly.getErrorClass());
    assertEquals("NaN score", errorOnly.getReason());
  }

  @Test
  void otherTopicAndValidation() {
    assertEquals("my-dlq", new DeadLetterRouter("s", Clock.systemUTC(), "my-dlq").route(record(), "x", null).topic());
    assertThrows(IllegalArgumentException.class, () -> new DeadLetterRouter(" ", Clock.systemUTC()));
  }
}
