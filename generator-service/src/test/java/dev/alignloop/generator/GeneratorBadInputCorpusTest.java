package dev.alignloop.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.schemas.avro.DeadLetter;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PromptRequest;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prompt half of the bad-input corpus ({@code src/test/resources/bad-input/}, see its README):
 * prompt requests the generator must not sample — empty, too long, oversized, unknown words,
 * control characters, bytes that are not UTF-8, an invalid negative prompt, no id, undecodable
 * records, tombstones — each followed by a valid request. Every bad one becomes one dead letter
 * keyed by its id whose reason says why; every valid one gets its pair.
 */
@ExtendWith(KafkaBrokerExtension.class)
class GeneratorBadInputCorpusTest {

  @TempDir
  Path tmp;

  @TestFactory
  Stream<DynamicTest> everyBadPromptIsDeadLetteredAndTheNextIsSampled(KafkaTestCluster kafka) throws Exception {
    JsonNode cases;
    try (InputStream in = getClass().getResourceAsStream("/bad-input/cases.json")) {
      cases = new ObjectMapper().readTree(in);
    }
    List<String> valid = new ArrayList<>();
    Map<String, DeadLetter> byKey;
    Set<String> pairs;
    try (GeneratorFixture world = new GeneratorFixture(kafka, tmp)) {
      world.start(Map.of("alignloop.generator.hot-swap", false));
      for (JsonNode c : cases) {
        String id = c.path("id").asText();
        world.sendRaw(id, value(world, id, c));
        String ok = "ok-" + valid.size();
        world.send(TestModels.prompt(ok, "a red circle"));
        valid.add("pair-" + ok);
      }
      pairs = world.pairs(valid.size()).stream().map(ImagePair::getPairId).collect(Collectors.toSet());
      byKey = world.deadLetters(cases.size()).stream().collect(Collectors.toMap(
          d -> StandardCharsets.UTF_8.decode(d.getKey().duplicate()).toString(), d -> d, (a, b) -> a));
      assertEquals(cases.size(), byKey.size(), "one dead letter per case: " + byKey.keySet());
      String promptsTopic = world.promptsTopic;
      List<DynamicTest> tests = new ArrayList<>();
      tests.add(DynamicTest.dynamicTest("every valid request behind a bad one is sampled",
          () -> assertEquals(Set.copyOf(valid), pairs)));
      for (JsonNode c : cases) {
        String id = c.path("id").asText();
        tests.add(DynamicTest.dynamicTest(id, () -> {
          DeadLetter d = byKey.get(id);
          assertNotNull(d, id + " has no dead letter");
          assertTrue(d.getReason().contains(c.path("expect").path("reason").asText()), id + ": " + d.getReason());
          for (JsonNode t : c.path("expect").path("contains")) {
            assertTrue(d.getReason().contains(t.asText()), id + ": reason does not mention " + t + ": " + d.getReason());
          }
          assertEquals(promptsTopic, d.getSourceTopic(), id);
          assertEquals(GeneratorWorker.SERVICE, d.getService(), id);
          assertTrue(d.getOffset() >= 0 && d.getPartition() >= 0, id);
        }));
      }
      return tests.stream();
    }
  }

  private static byte[] value(GeneratorFixture world, String id, JsonNode c) {
    if (c.path("tombstone").asBoolean()) {
      return null;
    }
    if (c.has("raw")) {
      return c.path("raw").asText().getBytes(StandardCharsets.UTF_8);
    }
    JsonNode r = c.path("request");
    JsonNode p = r.path("prompt");
    String prompt = p.isTextual() ? p.asText() : p.path("repeat").asText().repeat(p.path("times").asInt());
    PromptRequest req = TestModels.prompt(r.path("id").asText(id), prompt);
    if (r.has("negativePrompt")) {
      req.setNegativePrompt(r.path("negativePrompt").asText());
    }
    byte[] bytes = GeneratorFixture.PROMPTS.encode(world.promptsTopic, req);
    if (c.has("truncate")) {
      bytes = java.util.Arrays.copyOf(bytes, bytes.length - c.path("truncate").asInt());
    }
    if (c.has("replace")) {
      byte[] find = c.path("replace").path("find").asText().getBytes(StandardCharsets.UTF_8);
      byte[] with = HexFormat.of().parseHex(c.path("replace").path("with").asText());
      int at = indexOf(bytes, find);
      System.arraycopy(with, 0, bytes, at, with.length);
    }
    return bytes;
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
