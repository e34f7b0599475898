package dev.alignloop.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.schemas.SchemaException.Kind;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PromptRequest;
import dev.alignloop.schemas.testing.Samples;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeTest {

  static Stream<SpecificRecord> records() {
    return Stream.concat(Samples.all().stream(), Samples.allMinimal().stream());
  }

  @SuppressWarnings("unchecked")
  static <T extends SpecificRecord> AvroSerde<T> serdeFor(T record) {
    return AvroSerde.of((Class<T>) record.getClass());
  }

  @ParameterizedTest
  @MethodSource("records")
  <T extends SpecificRecord> void roundTripsThroughKafkaSerdes(T record) {
    AvroSerde<T> serde = serdeFor(record);
    byte[] bytes = serde.serializer().serialize("t", record);

    assertEquals((byte) 0xC3, bytes[0]);
    assertEquals((byte) 0x01, bytes[1]);
    assertEquals(record, serde.deserializer().deserialize("t", bytes));
    assertEquals(new Decoded.Ok<>(record), serde.safeDeserializer().deserialize("t", bytes));
  }

  @ParameterizedTest
  @MethodSource("records")
  <T extends SpecificRecord> void isWireCompatibleWithAvrosOwnMessageDecoder(T record) throws Exception {
    AvroSerde<T> serde = serdeFor(record);
    SpecificData model = SpecificData.getForClass(serde.type());
    BinaryMessageDecoder<T> avro = new BinaryMessageDecoder<>(model, serde.schema());
    assertEquals(record, avro.decode(serde.encode("t", record)));
  }

  @Test
  void nullIsATombstoneBothWays() {
    AvroSerde<Checkpoint> serde = AvroSerde.of(Checkpoint.class);
    assertNull(serde.serializer().serialize("t", null));
    assertNull(serde.deserializer().deserialize("t", null));
    assertNull(serde.safeDeserializer().deserialize("t", null));
  }

  @Test
  void missingRequiredFieldFailsToEncodeNamingTopicAndType() {
    PromptRequest bad = Samples.prompt("p");
    bad.setPrompt(null);
    SchemaException e = assertThrows(SchemaException.class,
        () -> AvroSerde.of(PromptRequest.class).serializer().serialize(Topics.PROMPTS, bad));
    assertEquals(Kind.ENCODE_FAILED, e.kind());
    assertTrue(e.getMessage().contains(Topics.PROMPTS) && e.getMessage().contains("PromptRequest"), e.getMessage());
  }

  // ---- corrupt input: always a typed SchemaException, never anything else ----

  private static final AvroSerde<ImagePair> PAIRS = AvroSerde.of(ImagePair.class);

  private static SchemaException decodeFails(byte[] bytes) {
    return assertThrows(SchemaException.class, () -> PAIRS.deserializer().deserialize(Topics.PAIRS, bytes));
  }

  @Test
  void wrongMarkerIsBadMarker() {
    byte[] bytes = PAIRS.encode("t", Samples.pair("x"));
    bytes[1] = 0x02;
    SchemaException e = decodeFails(bytes);
    assertEquals(Kind.BAD_MARKER, e.kind());
    assertEquals(Topics.PAIRS, e.topic());
    assertTrue(e.getMessage().contains("c3 02"), e.getMessage());
    assertEquals(Kind.BAD_MARKER, decodeFails(new byte[0]).kind());
    assertEquals(Kind.BAD_MARKER, decodeFails("{\"json\":1}".getBytes()).kind());
  }

  @Test
  void unknownFingerprintNamesTheFingerprint() {
    byte[] bytes = PAIRS.encode("t", Samples.pair("x"));
    bytes[5] ^= 0x5A;
    SchemaException e = decodeFails(bytes);
    assertEquals(Kind.UNKNOWN_FINGERPRINT, e.kind());
    long fp = ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    assertTrue(e.getMessage().contains(String.format("%016x", fp)), e.getMessage());
    assertTrue(e.getMessage().contains("on topic alignloop.pairs"), e.getMessage());
  }

  @Test
  void anotherRecordTypeIsWrongRecordType() {
    byte[] prompt = AvroSerde.of(PromptRequest.class).encode("t", Samples.prompt("p"));
    SchemaException e = decodeFails(prompt);
    assertEquals(Kind.WRONG_RECORD_TYPE, e.kind());
    assertTrue(e.getMessage().contains("PromptRequest"), e.getMessage());
  }

  @Test
  void everyTruncationIsTruncated() {
    byte[] bytes = PAIRS.encode("t", Samples.pair("x"));
    for (int n = 2; n < bytes.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(bytes, n);
      assertEquals(Kind.TRUNCATED, decodeFails(cut).kind(), "prefix of " + n + " bytes");
    }
  }

  @Test
  void trailingBytesAreCorrupt() {
    byte[] bytes = PAIRS.encode("t", Samples.pair("x"));
    byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 3);
    SchemaException e = decodeFails(longer);
    assertEquals(Kind.CORRUPT_BODY, e.kind());
    assertTrue(e.getMessage().contains("3 trailing bytes"), e.getMessage());
  }

  @Test
  void malformedUtf8InAStringIsCorruptNotSilentlyReplaced() {
    ImagePair pair = Samples.pair("x");
    pair.setPrompt("a red circle ##");
    byte[] bytes = PAIRS.encode("t", pair);
    int at = indexOf(bytes, "##".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    bytes[at] = (byte) 0xC3; // a UTF-8 lead byte ...
    bytes[at + 1] = (byte) 0x28; // ... followed by '(' instead of a continuation byte
    SchemaException e = decodeFails(bytes);
    assertEquals(Kind.CORRUPT_BODY, e.kind());
    assertTrue(e.getMessage().contains("not valid UTF-8") && e.getMessage().contains("0xC3"), e.getMessage());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  @Test
  void negativeLengthIsCorrupt() {
    byte[] bytes = PAIRS.encode("t", Samples.pair("x"));
    bytes[AvroSerde.HEADER_LENGTH] = 0x01; // zig-zag -1: length of the first string field
    assertEquals(Kind.CORRUPT_BODY, decodeFails(bytes).kind());
  }

  @Test
  void hugeDeclaredLengthsFailWithoutAllocating() {
    // A string length of ~2^31 would make plain Avro allocate 2 GB before noticing the EOF.
    byte[] bytes = PAIRS.encode("t", Samples.pair("x"));
    byte[] huge = {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
    byte[] corrupt = new byte[bytes.length + huge.length];
    System.arraycopy(bytes, 0, corrupt, 0, AvroSerde.HEADER_LENGTH);
    System.arraycopy(huge, 0, corrupt, AvroSerde.HEADER_LENGTH, huge.length);
    SchemaException e = decodeFails(corrupt);
    assertEquals(Kind.TRUNCATED, e.kind());
    assertTrue(e.getMessage().contains("exceeds"), e.getMessage());

    // A collection count of ~2^30 would allocate a 2^30-slot array: refuse it.
    AvroSerde<Checkpoint> checkpoints = AvroSerde.of(Checkpoint.class);
    Checkpoint c = Samples.checkpoint("v1");
    c.setConsumedOffsets(List.of());
    byte[] ok = checkpoints.encode("t", c);
    int arrayAt = indexOfEmptyArrayCount(ok, c);
    byte[] count = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08}; // zig-zag 2^30
    byte[] bad = new byte[ok.length - 1 + count.length];
    System.arraycopy(ok, 0, bad, 0, arrayAt);
    System.arraycopy(count, 0, bad, arrayAt, count.length);
    System.arraycopy(ok, arrayAt + 1, bad, arrayAt + count.length, ok.length - arrayAt - 1);
    SchemaException ce = assertThrows(SchemaException.class, () -> checkpoints.decode("t", bad));
    assertEquals(Kind.CORRUPT_BODY, ce.kind());
    assertTrue(ce.getMessage().contains("cannot fit"), ce.getMessage());
  }

  /** Offset of the zero block count of consumedOffsets: right after the step varint. */
  private static int indexOfEmptyArrayCount(byte[] bytes, Checkpoint c) {
    // Encode the same record with step changed; the first differing byte is the step varint.
    Checkpoint other = Checkpoint.newBuilder(c).setStep(c.getStep() + 1).build();
    byte[] o = AvroSerde.of(Checkpoint.class).encode("t", other);
    int i = AvroSerde.HEADER_LENGTH;
    while (bytes[i] == o[i]) {
      i++;
    }
    while ((bytes[i] & 0x80) != 0) {
      i++;
    }
    assertEquals(0, bytes[i + 1]);
    return i + 1;
  }

  @Test
  void randomBytesAndBitFlipsOnlyEverGiveSchemaExceptions() {
    java.util.Random random = new java.util.Random(7);
    List<byte[]> valid = new ArrayList<>();
    for (SpecificRecord r : Samples.all()) {
      valid.add(serdeFor(r).encode("t", r));
    }
    AvroSerde<?>[] serdes = Samples.all().stream().map(AvroSerdeTest::serdeFor).toArray(AvroSerde<?>[]::new);
    for (int i = 0; i < 3000; i++) {
      int which = random.nextInt(valid.size());
      byte[] bytes;
      if (i % 3 == 0) { // pure noise
        bytes = new byte[random.nextInt(200)];
        random.nextBytes(bytes);
      } else if (i % 3 == 1) { // valid header, noisy body
        bytes = valid.get(which).clone();
        for (int j = AvroSerde.HEADER_LENGTH; j < bytes.length; j++) {
          bytes[j] = (byte) random.nextInt();
        }
      } else { // a few flipped bits in the body
        bytes = valid.get(which).clone();
        for (int k = 0; k < 3; k++) {
          int at = AvroSerde.HEADER_LENGTH + random.nextInt(bytes.length - AvroSerde.HEADER_LENGTH);
          bytes[at] ^= (byte) (1 << random.nextInt(8));
        }
      }
      Decoded<?> result = serdes[which].tryDecode("t", bytes);
      if (result instanceof Decoded.Failed<?> failed) {
        assertTrue(failed.error().getMessage().startsWith(failed.kind().name()), failed.error().getMessage());
        assertArrayEquals(bytes, failed.raw());
      }
    }
  }
}
