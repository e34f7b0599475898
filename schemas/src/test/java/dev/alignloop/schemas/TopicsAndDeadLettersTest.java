package dev.alignloop.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.schemas.avro.DeadLetter;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.testing.Samples;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class TopicsAndDeadLettersTest {

  @Test
  void topicsAreTheOnesInTheDesign() {
    assertEquals(java.util.List.of("alignloop.prompts", "alignloop.pairs", "alignloop.preferences",
        "alignloop.checkpoints", "alignloop.evals", "alignloop.dlq"),
        Topics.all().stream().map(TopicSpec::name).toList());
    assertEquals("compact", Topics.spec(Topics.CHECKPOINTS).orElseThrow().configs().get("cleanup.policy"));
    assertEquals("1209600000", Topics.spec(Topics.DLQ).orElseThrow().configs().get("retention.ms"));
    assertEquals(3, Topics.spec(Topics.PAIRS).orElseThrow().partitions());
    assertTrue(Topics.all().stream().allMatch(t -> t.replicationFactor() == 1));
    assertTrue(Topics.all((short) 3).stream().allMatch(t -> t.replicationFactor() == 3));
    assertEquals(Optional.of(ImagePair.class), Topics.valueType(Topics.PAIRS));
    assertTrue(Topics.all().stream().allMatch(t -> Topics.valueType(t.name()).isPresent()));
    var newTopic = Topics.spec(Topics.CHECKPOINTS).orElseThrow().withReplicationFactor((short) 3).toNewTopic();
    assertEquals(3, newTopic.replicationFactor());
    assertEquals(Map.of("cleanup.policy", "compact"), newTopic.configs());
  }

  @Test
  void topicSpecValidatesNamingTheTopic() {
    var e = assertThrows(IllegalArgumentException.class, () -> new TopicSpec("x", 0, (short) 1, Map.of()));
    assertTrue(e.getMessage().contains("x"));
    assertThrows(IllegalArgumentException.class, () -> new TopicSpec(" ", 1, (short) 1, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> new TopicSpec("x", 1, (short) 0, Map.of()));
  }

  @Test
  void deadLetterFromASafelyDecodedFailure() {
    byte[] garbage = {1, 2, 3};
    Decoded<ImagePair> failed = AvroSerde.of(ImagePair.class).tryDecode(Topics.PAIRS, garbage);
    ConsumerRecord<String, Decoded<ImagePair>> record =
        new ConsumerRecord<>(Topics.PAIRS, 2, 41L, "pair-9", failed);

    DeadLetter letter = DeadLetters.of(record, null, "scorer-service", Samples.T0);

    assertEquals(Topics.PAIRS, letter.getSourceTopic());
    assertEquals(2, letter.getPartition());
    assertEquals(41L, letter.getOffset());
    assertEquals(ByteBuffer.wrap("pair-9".getBytes(StandardCharsets.UTF_8)), letter.getKey());
    assertEquals(ByteBuffer.wrap(garbage), letter.getPayload());
    assertEquals(SchemaException.class.getName(), letter.getErrorClass());
    assertTrue(letter.getReason().startsWith("BAD_MARKER"), letter.getReason());
    assertEquals("alignloop.pairs-2@41", DeadLetters.key(letter));
    // and it is itself a valid message
    AvroSerde<DeadLetter> serde = AvroSerde.of(DeadLetter.class);
    assertEquals(letter, serde.decode(Topics.DLQ, serde.encode(Topics.DLQ, letter)));
  }

  @Test
  void deadLetterForAProcessingFailureReEncodesTheValue() {
    ImagePair pair = Samples.pair("p");
    ConsumerRecord<String, Decoded<ImagePair>> record =
        new ConsumerRecord<>(Topics.PAIRS, 0, 3L, "p", new Decoded.Ok<>(pair));
    DeadLetter letter = DeadLetters.of(record, new IllegalStateException("blob missing"), "scorer-service", Instant.EPOCH);
    assertEquals("java.lang.IllegalStateException", letter.getErrorClass());
    assertEquals("blob missing", letter.getReason());
    byte[] payload = new byte[letter.getPayload().remaining()];
    letter.getPayload().duplicate().get(payload);
    assertEquals(pair, AvroSerde.of(ImagePair.class).decode(Topics.PAIRS, payload));
  }

  @Test
  void deadLetterFromAConsumersDeserializationException() {
    SchemaException cause = new SchemaException(SchemaException.Kind.UNKNOWN_FINGERPRINT, Topics.PAIRS, "boom");
    byte[] value = {(byte) 0xC3, 1, 9, 9, 9, 9, 9, 9, 9, 9};
    var e = new RecordDeserializationException(RecordDeserializationException.DeserializationExceptionOrigin.VALUE,
        new TopicPartition(Topics.PAIRS, 1), 17L, 0L, TimestampType.CREATE_TIME,
        ByteBuffer.wrap("k".getBytes(StandardCharsets.UTF_8)), ByteBuffer.wrap(value), new RecordHeaders(),
        "Error deserializing", cause);

    DeadLetter letter = DeadLetters.of(e, "trainer-service", Samples.T0);
    assertEquals(17L, letter.getOffset());
    assertEquals(1, letter.getPartition());
    byte[] payload = new byte[letter.getPayload().remaining()];
    letter.getPayload().duplicate().get(payload);
    assertArrayEquals(value, payload);
    assertEquals(cause.getMessage(), letter.getReason());
    assertEquals("alignloop.pairs-1@17 VALUE: UNKNOWN_FINGERPRINT on topic alignloop.pairs: boom",
        DeadLetters.describe(e));
  }
}
