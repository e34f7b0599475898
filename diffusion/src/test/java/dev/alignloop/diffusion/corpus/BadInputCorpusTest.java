package dev.alignloop.diffusion.corpus;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alignloop.diffusion.checkpoint.CheckpointLocator;
import dev.alignloop.diffusion.checkpoint.TrainingCheckpoint;
import dev.alignloop.diffusion.pretrained.DiffusersFolder;
import dev.alignloop.diffusion.pretrained.ModelIndex;
import dev.alignloop.diffusion.safetensors.SafeTensors;
import dev.alignloop.diffusion.scheduler.SchedulerConfig;
import dev.alignloop.diffusion.unet.UNet2DConditionConfigJson;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The model-file half of the bad-input corpus ({@code src/test/resources/bad-input/}, see its
 * README): every file goes through the boundary that reads it in production, and must fail with
 * the expected typed exception whose message names the file and what is wrong with it — never
 * with an unchecked surprise ({@code NullPointerException}, {@code OutOfMemoryError}, a raw
 * Jackson exception) and never by loading. The {@code valid} cases keep the harness honest.
 */
class BadInputCorpusTest {

  @TestFactory
  Stream<DynamicTest> everyBadModelFileFailsWithATypedErrorNamingIt() throws IOException, URISyntaxException {
    Path root = Path.of(BadInputCorpusTest.class.getResource("/bad-input/cases.json").toURI()).getParent();
    JsonNode cases = new ObjectMapper().readTree(Files.readAllBytes(root.resolve("cases.json")));
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : cases) {
      String id = c.path("id").asText();
      Path file = root.resolve(c.path("file").asText());
      tests.add(DynamicTest.dynamicTest(id, () -> check(id, c.path("boundary").asText(), file, c.path("expect"))));
    }
    // What each case produced, for reading (and for the README): target/bad-input-report.txt
    tests.add(DynamicTest.dynamicTest("report", () -> Files.write(Path.of(System.getProperty("basedir", "."),
        "target", "bad-input-report.txt"), REPORT)));
    return tests.stream();
  }

  private static final List<String> REPORT = new java.util.concurrent.CopyOnWriteArrayList<>();

  private static void check(String id, String boundary, Path file, JsonNode expect) {
    assertTrue(Files.exists(file), id + ": corpus file " + file + " is missing (run make_files.py)");
    Throwable error = null;
    try {
      read(boundary, file);
    } catch (RuntimeException | Error e) {
      error = e;
    }
    REPORT.add(id + " -> " + (error == null ? "accepted" : error.getClass().getSimpleName() + ": " + error.getMessage()));
    if (expect.path("ok").asBoolean()) {
      if (error != null) {
        fail(id + ": the valid control failed: " + error, error);
      }
      return;
    }
    if (error == null) {
      fail(id + ": " + file + " was accepted by " + boundary);
    }
    assertTrue(isA(error, expect.path("error").asText()), id + ": not a " + expect.path("error").asText() + ": " + error);
    String message = String.valueOf(error.getMessage());
    assertTrue(message.contains(file.getFileName().toString()), id + ": the message does not name the file: " + message);
    for (JsonNode text : expect.path("contains")) {
      assertTrue(message.contains(text.asText()), id + ": the message does not mention " + text + ": " + message);
    }
  }

  /** Whether {@code e}'s class or a superclass has this simple name. */
  private static boolean isA(Throwable e, String simpleName) {
    for (Class<?> c = e.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getSimpleName().equals(simpleName)) {
        return true;
      }
    }
    return false;
  }

  /** What production does with such a file. */
  private static void read(String boundary, Path file) {
    switch (boundary) {
      case "safetensors" -> {
        try (SafeTensors st = SafeTensors.open(file)) {
          st.metadata(); // the header is parsed and validated in open()
        }
      }
      case "unet-config" -> UNet2DConditionConfigJson.read(file);
      case "scheduler-config" -> SchedulerConfig.load(file);
      case "diffusers-folder" -> DiffusersFolder.open(file, ModelIndex.UNET, ModelIndex.SCHEDULER);
      case "checkpoint" -> TrainingCheckpoint.open(file);
      case "checkpoint-record" -> new CheckpointLocator(file.getParent(), true).resolve(
          new CheckpointLocator.Published("ckpt-00000002-corpus", file.toUri().toString(), "ab".repeat(32)));
      default -> throw new IllegalArgumentException("corpus: unknown boundary " + boundary);
    }
  }
}
