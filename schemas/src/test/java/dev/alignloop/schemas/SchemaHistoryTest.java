package dev.alignloop.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Guards schema evolution: every committed version under {@code src/main/avro-history} is
 * registered in the SchemaStore, the newest one is the current schema, and the current schema
 * reads data written by every version. Fails the build on an incompatible edit.
 */
class SchemaHistoryTest {

  static final Path HISTORY = Path.of("src/main/avro-history");

  /** The rule applied to the real schemas, and to the broken ones in the negative tests. */
  static List<String> historyProblems(Schema current, List<Schema> history) {
    List<String> problems = new ArrayList<>();
    if (history.isEmpty()) {
      problems.add(current.getName() + ": no history; add " + SchemaStore.historyPath(current.getName(), 1));
      return problems;
    }
    for (int i = 0; i < history.size(); i++) {
      for (String p : Compatibility.backwardProblems(current, history.get(i))) {
        problems.add(current.getName() + " cannot read v" + (i + 1) + ": " + p);
      }
    }
    Schema newest = history.get(history.size() - 1);
    if (SchemaStore.fingerprint(newest) != SchemaStore.fingerprint(current)) {
      problems.add(current.getName() + " changed since v" + history.size() + ": add "
          + SchemaStore.historyPath(current.getName(), history.size() + 1) + " with the new schema");
    }
    return problems;
  }

  static List<Schema> historyOnDisk(String name) throws IOException {
    Path dir = HISTORY.resolve(name);
    List<Schema> schemas = new ArrayList<>();
    for (int v = 1; Files.exists(dir.resolve("v" + v + ".avsc")); v++) {
      schemas.add(new Schema.Parser().parse(dir.resolve("v" + v + ".avsc").toFile()));
    }
    return schemas;
  }

  @Test
  void currentSchemasReadEveryCommittedVersion() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Class<? extends SpecificRecord> type : SchemaStore.MESSAGE_TYPES) {
      Schema current = SpecificData.get().getSchema(type);
      problems.addAll(historyProblems(current, historyOnDisk(current.getName())));
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyHistoryFileIsRegisteredInTheStore() throws IOException {
    Set<String> messageNames = SchemaStore.MESSAGE_TYPES.stream()
        .map(t -> SpecificData.get().getSchema(t).getName()).collect(Collectors.toCollection(TreeSet::new));
    List<Path> files;
    try (Stream<Path> walk = Files.walk(HISTORY)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    assertFalse(files.isEmpty());
    SchemaStore store = SchemaStore.standard();
    for (Path file : files) {
      Path rel = HISTORY.relativize(file);
      String record = rel.getName(0).toString();
      assertTrue(messageNames.contains(record), rel + ": not a message type " + messageNames);
      assertTrue(rel.getNameCount() == 2 && rel.getFileName().toString().matches("v[1-9][0-9]*\\.avsc"),
          rel + ": history files must be <Record>/vN.avsc");
      int v = Integer.parseInt(rel.getFileName().toString().replaceAll("\\D", ""));
      Schema schema = new Schema.Parser().parse(file.toFile());
      long fp = SchemaStore.fingerprint(schema);
      String fullName = schema.getFullName();
      assertTrue(store.history(fullName).stream().anyMatch(h -> h.version() == v && h.fingerprint() == fp),
          rel + " is not registered in SchemaStore (gap in version numbers?)");
      assertEquals(schema, store.findByFingerprint(fp), rel + " resolves to another schema");
    }
    for (String name : messageNames) {
      assertTrue(Files.exists(HISTORY.resolve(name).resolve("v1.avsc")), name + " has no v1.avsc");
    }
  }

  // ---- negative tests: the same rule catches incompatible edits ----

  private static Schema promptV1() throws IOException {
    return historyOnDisk("PromptRequest").get(0);
  }

  private static Schema edit(Schema schema, String from, String to) {
    String json = schema.toString();
    assertTrue(json.contains(from), "test edit target missing: " + from);
    return new Schema.Parser().parse(json.replace(from, to));
  }

  @Test
  void addingARequiredFieldIsDetected() throws IOException {
    Schema v1 = promptV1();
    Schema broken = edit(v1, "{\"name\":\"source\"", "{\"name\":\"priority\",\"type\":\"int\"},{\"name\":\"source\"");
    List<String> problems = historyProblems(broken, List.of(v1));
    assertTrue(problems.stream().anyMatch(p -> p.contains("READER_FIELD_MISSING_DEFAULT_VALUE")
        && p.contains("priority")), problems.toString());
  }

  @Test
  void changingAFieldTypeIsDetected() throws IOException {
    Schema v1 = promptV1();
    Schema broken = edit(v1, "\"type\":[\"null\",\"long\"]", "\"type\":[\"null\",\"int\"]");
    List<String> problems = historyProblems(broken, List.of(v1));
    assertTrue(problems.stream().anyMatch(p -> p.contains("TYPE_MISMATCH") || p.contains("MISSING_UNION_BRANCH")),
        problems.toString());
  }

  @Test
  void removingAnEnumSymbolIsDetected() throws IOException {
    Schema v1 = historyOnDisk("Checkpoint").get(0);
    Schema broken = edit(v1, "\"CANDIDATE\",\"PROMOTED\",\"REJECTED\"", "\"CANDIDATE\",\"PROMOTED\"");
    List<String> problems = historyProblems(broken, List.of(v1));
    assertTrue(problems.stream().anyMatch(p -> p.contains("MISSING_ENUM_SYMBOLS")), problems.toString());
  }

  @Test
  void aCompatibleChangeWithoutANewHistoryFileIsDetected() throws IOException {
    Schema v1 = promptV1();
    Schema evolved = edit(v1, "{\"name\":\"source\"",
        "{\"name\":\"priority\",\"type\":\"int\",\"default\":0},{\"name\":\"source\"");
    List<String> problems = historyProblems(evolved, List.of(v1));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("v2.avsc"), problems.toString());
    assertEquals(List.of(), historyProblems(evolved, List.of(v1, evolved)));
  }
}
