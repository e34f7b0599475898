package dev.alignloop.scorer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.common.blob.StoredBlob;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.avro.BlobRef;
import dev.alignloop.schemas.avro.DeadLetter;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.schemas.avro.PromptRequest;
import dev.alignloop.scorer.bench.ScorerBench;
import dev.alignloop.streaming.eos.ProcessorState;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus ({@code src/test/resources/bad-input/}, see its README) through a real
 * scorer on the embedded broker: every case sits between two valid pairs on one partition. Each
 * case must end as one dead letter naming the source topic, partition and offset with the reason
 * and error class the corpus expects (or, for the few documented acceptances, as a label), every
 * valid pair must be labelled, and the scorer must still be RUNNING with its group caught up —
 * nothing crashed, stalled or was dropped. One dynamic test per case reports each verdict.
 */
@ExtendWith(KafkaBrokerExtension.class)
class BadInputCorpusTest {
  private static final String CORPUS = "/bad-input/";
  private static final int SIDE = 32;
  private static final AvroSerde<PromptRequest> PROMPTS = AvroSerde.of(PromptRequest.class);

  /** One corpus entry and where it landed. */
  private record Case(String id, JsonNode expect, long offset) {}

  @TestFactory
  Stream<DynamicTest> everyCaseIsHandledAndTheValidPairBehindItIsLabelled(KafkaTestCluster kafka, @TempDir Path dir)
      throws IOException {
    JsonNode corpus = new ObjectMapper().readTree(resource("cases.json"));
    List<Case> cases = new ArrayList<>();
    List<String> valid = new ArrayList<>();
    List<DeadLetter> letters;
    List<PreferenceLabel> labels;
    try (ScorerFixture f = new ScorerFixture(kafka, dir, 1)) {
      List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
      records.add(validPair(f, valid, 0));
      for (JsonNode c : corpus) {
        String id = c.path("id").asText();
        cases.add(new Case(id, c.path("expect"), records.size()));
        records.add(new ProducerRecord<>(f.pairsTopic, id, value(f, id, c.path("value"))));
        records.add(validPair(f, valid, valid.size()));
      }
      f.sendRaw(records);
      long letterCount = cases.stream().filter(c -> c.expect().has("reason")).count();
      long labelCount = valid.size() + cases.stream().filter(c -> c.expect().has("label")).count();

      try (ApplicationContext ctx = f.start(Map.of("alignloop.scorer.tie-margin", 0))) {
        ScorerWorker worker = ctx.getBean(ScorerWorker.class);
        // Nothing stalled: the group commits past the last record (offsets commit with the outputs).
        await().atMost(ScorerFixture.TIMEOUT)
            .until(() -> worker.state() == ProcessorState.FAILED || committed(kafka, f.group) == records.size());
        assertEquals(ProcessorState.RUNNING, worker.state(), "the scorer is still running after the corpus");
      }
      letters = f.deadLetters();
      labels = f.labels();
      assertEquals(letterCount, letters.size(), "one dead letter per rejected case, no more: " + letters.stream()
          .map(d -> d.getOffset() + " " + d.getReason()).toList());
      assertEquals(labelCount, labels.size(), "labels: valid pairs plus accepted cases");
    }
    Map<Long, DeadLetter> byOffset = letters.stream().collect(Collectors.toMap(DeadLetter::getOffset, d -> d));
    Set<String> labelled = labels.stream().map(PreferenceLabel::getPairId).collect(Collectors.toSet());

    List<DynamicTest> tests = new ArrayList<>();
    tests.add(DynamicTest.dynamicTest("every valid pair behind a bad one is labelled", () ->
        assertTrue(labelled.containsAll(valid), "missing labels: " + valid.stream().filter(v -> !labelled.contains(v))
            .toList())));
    for (Case c : cases) {
      tests.add(DynamicTest.dynamicTest(c.id(), () -> check(c, byOffset.get(c.offset()), labelled)));
    }
    return tests.stream();
  }

  private static void check(Case c, DeadLetter d, Set<String> labelled) {
    if (c.expect().has("label")) {
      assertTrue(labelled.contains(c.id()), c.id() + " should be labelled (" + c.expect().path("label").asText() + ")");
      assertTrue(d == null, c.id() + " was dead-lettered: " + (d == null ? "" : d.getReason()));
      return;
    }
    assertNotNull(d, c.id() + " (offset " + c.offset() + ") has no dead letter");
    String reason = d.getReason();
    assertTrue(reason.startsWith(c.expect().path("reason").asText()) || reason.contains(c.expect().path("reason")
        .asText()), c.id() + ": reason '" + reason + "' does not show " + c.expect().path("reason"));
    for (JsonNode text : c.expect().path("contains")) {
      assertTrue(reason.contains(text.asText()), c.id() + ": reason '" + reason + "' does not mention " + text);
    }
    if (c.expect().has("errorClass")) {
      String simple = d.getErrorClass().substring(Math.max(d.getErrorClass().lastIndexOf('.'),
          d.getErrorClass().lastIndexOf('$')) + 1);
      assertEquals(c.expect().path("errorClass").asText(), simple,
          c.id() + ": error class " + d.getErrorClass());
    }
    assertEquals(0, d.getPartition(), c.id());
    assertEquals(ScorerWorker.SERVICE, d.getService(), c.id());
    assertTrue(d.getSourceTopic().startsWith("pairs-"), c.id() + ": source topic " + d.getSourceTopic());
    if (!c.id().equals("kafka.tombstone")) {
      assertTrue(d.getPayload() != null, c.id() + ": the dead letter keeps the payload");
    }
    ByteBuffer k = d.getKey().duplicate();
    byte[] key = new byte[k.remaining()];
    k.get(key);
    assertEquals(c.id(), new String(key, StandardCharsets.UTF_8), "the dead letter keeps the key");
  }

  private static ProducerRecord<String, byte[]> validPair(ScorerFixture f, List<String> valid, int i) {
    ImagePair p = ScorerFixture.pair("ok-" + i, "a green square", f.png(SIDE, 1000 + 2L * i), f.png(SIDE, 1001 + 2L * i));
    valid.add(p.getPairId());
    return new ProducerRecord<>(f.pairsTopic, p.getPairId(), ScorerFixture.PAIRS.encode(f.pairsTopic, p));
  }

  /** The Kafka value a case describes (see the README for the keys). */
  private static byte[] value(ScorerFixture f, String id, JsonNode v) throws IOException {
    if (v.path("tombstone").asBoolean()) {
      return null;
    }
    if (v.has("raw")) {
      return resource("files/" + v.path("raw").asText());
    }
    byte[] bytes;
    if (v.path("record").asText().equals("PromptRequest")) {
      bytes = PROMPTS.encode(f.pairsTopic, PromptRequest.newBuilder().setId(id).setPrompt("a red circle")
          .setSource("corpus").setCreatedAt(Instant.ofEpochMilli(1_760_000_000_000L)).build());
    } else {
      JsonNode p = v.path("pair");
      ImagePair pair = ScorerFixture.pair(id, prompt(p.path("prompt")), image(f, p.path("a"), 11),
          image(f, p.path("b"), 12));
      bytes = ScorerFixture.PAIRS.encode(f.pairsTopic, pair);
    }
    if (v.has("truncate")) {
      bytes = java.util.Arrays.copyOf(bytes, bytes.length - v.path("truncate").asInt());
    }
    if (v.has("append")) {
      byte[] extra = HexFormat.of().parseHex(v.path("append").asText());
      byte[] out = java.util.Arrays.copyOf(bytes, bytes.length + extra.length);
      System.arraycopy(extra, 0, out, bytes.length, extra.length);
      bytes = out;
    }
    if (v.has("patchBody")) { // overwrite the first body bytes, right after the 10-byte header
      byte[] patch = HexFormat.of().parseHex(v.path("patchBody").asText());
      System.arraycopy(patch, 0, bytes, 10, patch.length);
    }
    if (v.has("replace")) {
      byte[] find = v.path("replace").path("find").asText().getBytes(StandardCharsets.UTF_8);
      byte[] with = HexFormat.of().parseHex(v.path("replace").path("with").asText());
      int at = indexOf(bytes, find);
      System.arraycopy(with, 0, bytes, at, with.length); // same length: the Avro lengths stay right
    }
    return bytes;
  }

  private static String prompt(JsonNode p) {
    if (p.isMissingNode()) {
      return "a red circle";
    }
    return p.isTextual() ? p.asText() : p.path("repeat").asText().repeat(p.path("times").asInt());
  }

  /** A valid stored image unless the spec says otherwise. */
  private static BlobRef image(ScorerFixture f, JsonNode spec, long seed) throws IOException {
    String mediaType = spec.path("mediaType").asText("image/png");
    StoredBlob stored;
    int w = SIDE;
    int h = SIDE;
    if (spec.has("file")) {
      stored = f.blobs.put(resource("files/" + spec.path("file").asText()), "image/png");
      w = spec.path("width").asInt(w);
      h = spec.path("height").asInt(h);
    } else {
      BlobRef ok = f.png(SIDE, seed * 7919 + spec.hashCode());
      stored = new StoredBlob(ok.getUri(), ok.getSha256(), 0, "image/png");
    }
    String uri = spec.path("uri").asText(stored.uri());
    String sha = spec.path("sha256").asText(stored.sha256());
    switch (spec.path("blob").asText("stored")) {
      case "missing" -> f.blobs.delete(stored.uri());
      case "tampered" -> Files.write(Path.of(URI.create(stored.uri())),
          dev.alignloop.common.image.Png.encode(ScorerBench.image(SIDE, seed + 999)));
      default -> { }
    }
    return BlobRef.newBuilder().setUri(uri).setSha256(sha).setWidth(w).setHeight(h).setMediaType(mediaType).build();
  }

  private static long committed(KafkaTestCluster kafka, String group) throws Exception {
    try (Admin admin = kafka.admin()) {
      return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
          .mapToLong(om -> om.offset()).sum();
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = BadInputCorpusTest.class.getResourceAsStream(CORPUS + name)) {
      if (in == null) {
        throw new IOException("corpus file " + CORPUS + name + " is missing");
      }
      return in.readAllBytes();
    }
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
    throw new IllegalArgumentException("corpus: bytes to replace not found");
  }
}
