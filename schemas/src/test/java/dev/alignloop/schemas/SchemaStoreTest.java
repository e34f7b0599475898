package dev.alignloop.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.alignloop.schemas.avro.PromptRequest;
import dev.alignloop.schemas.testing.Samples;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaStoreTest {

  /** An imagined older PromptRequest, before negativePrompt and seed existed. */
  static final String PROMPT_V0 = """
      {"type":"record","name":"PromptRequest","namespace":"dev.alignloop.schemas.avro","fields":[
        {"name":"id","type":"string"},{"name":"prompt","type":"string"},{"name":"source","type":"string"},
        {"name":"createdAt","type":{"type":"long","logicalType":"timestamp-millis"}}]}""";

  @Test
  void standardStoreKnowsEveryCurrentSchemaAndV1() {
    SchemaStore store = SchemaStore.standard();
    for (var type : SchemaStore.MESSAGE_TYPES) {
      Schema current = org.apache.avro.specific.SpecificData.get().getSchema(type);
      assertEquals(current, store.findByFingerprint(SchemaStore.fingerprint(current)));
      assertEquals(1, store.history(current.getFullName()).get(0).version());
    }
    assertNull(store.findByFingerprint(42L));
  }

  @Test
  void decodesMessagesWrittenWithAnOlderRegisteredVersion(@TempDir Path dir) throws Exception {
    Schema v0 = new Schema.Parser().parse(PROMPT_V0);
    Path history = dir.resolve(SchemaStore.historyPath("PromptRequest", 1));
    Files.createDirectories(history.getParent());
    Files.writeString(history, PROMPT_V0);
    Files.writeString(dir.resolve(SchemaStore.historyPath("PromptRequest", 2)), PromptRequest.SCHEMA$.toString());

    SchemaStore store;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      store = SchemaStore.load(List.of(PromptRequest.class), loader);
    }
    assertEquals(2, store.history(PromptRequest.SCHEMA$.getFullName()).size());

    GenericRecord old = new GenericData.Record(v0);
    old.put("id", "p-0");
    old.put("prompt", "a green triangle");
    old.put("source", "file");
    old.put("createdAt", Samples.T0.toEpochMilli());
    byte[] bytes = singleObject(v0, old);

    PromptRequest read = AvroSerde.of(PromptRequest.class, store).decode(Topics.PROMPTS, bytes);
    assertEquals("a green triangle", read.getPrompt());
    assertNull(read.getNegativePrompt());
    assertNull(read.getSeed());
    assertEquals(Samples.T0, read.getCreatedAt());

    // The standard store has never seen v0: that is an unknown fingerprint, not garbage.
    SchemaException e = assertThrows(SchemaException.class,
        () -> AvroSerde.of(PromptRequest.class).decode(Topics.PROMPTS, bytes));
    assertEquals(SchemaException.Kind.UNKNOWN_FINGERPRINT, e.kind());
  }

  @Test
  void historyFileOfAnotherRecordIsRejected(@TempDir Path dir) throws Exception {
    Path history = dir.resolve(SchemaStore.historyPath("PromptRequest", 1));
    Files.createDirectories(history.getParent());
    Files.writeString(history, dev.alignloop.schemas.avro.BlobRef.SCHEMA$.toString());
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      SchemaException e = assertThrows(SchemaException.class, () -> SchemaStore.load(List.of(PromptRequest.class), loader));
      assertEquals(SchemaException.Kind.INVALID_SCHEMA, e.kind());
    }
  }

  /** Single-object encoding written by hand, as a non-Java producer would. */
  static byte[] singleObject(Schema schema, GenericRecord record) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0xC3, 0x01});
    long fp = SchemaStore.fingerprint(schema);
    for (int i = 0; i < 8; i++) {
      out.write((int) (fp >>> (8 * i)) & 0xff);
    }
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
