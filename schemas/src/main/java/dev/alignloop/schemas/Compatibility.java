package dev.alignloop.schemas;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * The schema evolution rule of AlignLoop: a new schema must read everything any committed
 * version wrote (backward compatibility), so consumers can upgrade before producers. Used by
 * the schema history test, and usable by tooling before a schema is committed.
 */
public final class Compatibility {

  private Compatibility() {}

  /**
   * Why {@code reader} cannot read data written with {@code writer}; empty when it can.
   * Each entry names the type of problem, the location in the schema and a message.
   */
  public static List<String> backwardProblems(Schema reader, Schema writer) {
    SchemaCompatibility.SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
      return List.of();
    }
    return result.getResult().getIncompatibilities().stream()
        .map(Compatibility::describe)
        .toList();
  }

  private static String describe(Incompatibility i) {
    return i.getType() + " at " + i.getLocation() + ": " + i.getMessage();
  }
}
