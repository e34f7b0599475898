package dev.alignloop.schemas;

import dev.alignloop.schemas.SchemaException.Kind;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.DeadLetter;
import dev.alignloop.schemas.avro.EvalResult;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.schemas.avro.PromptRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Resolves a single-object writer fingerprint (CRC-64-AVRO of the schema's parsing canonical
 * form) to the schema that wrote it: the current schema of every AlignLoop message plus every
 * committed historical version, so messages written by older services still decode.
 *
 * <p>History lives on the classpath at {@code avro-history/<RecordName>/v1.avsc}, {@code
 * v2.avsc}, ... (source: {@code schemas/src/main/avro-history}). Each file is self-contained
 * (nested types inlined). Versions are read from v1 upwards until the first missing number;
 * {@code SchemaHistoryTest} fails on gaps, on files that are not registered, on a newest
 * version that differs from the current schema, and on any backward-incompatible change.
 *
 * <p>Only top-level Kafka messages ({@link #MESSAGE_TYPES}) have fingerprints on the wire;
 * nested types such as {@code BlobRef} are checked through the messages that embed them.
 *
 * <p>Immutable and thread-safe.
 */
public final class SchemaStore implements org.apache.avro.message.SchemaStore {

  /** Every record type that travels on a topic as a whole Kafka value. */
  public static final List<Class<? extends SpecificRecord>> MESSAGE_TYPES =
      List.of(PromptRequest.class, ImagePair.class, PreferenceLabel.class, Checkpoint.class,
          EvalResult.class, DeadLetter.class);

  /** Classpath folder holding {@code <RecordName>/vN.avsc}. */
  public static final String HISTORY_ROOT = "avro-history";

  /**
   * One known schema.
   *
   * @param fullName record full name, e.g. {@code dev.alignloop.schemas.avro.ImagePair}
   * @param version historical version number (1..), or 0 for the compiled-in current schema
   * @param schema the parsed schema
   * @param fingerprint CRC-64-AVRO of the parsing canonical form, as on the wire
   */
  public record Version(String fullName, int version, Schema schema, long fingerprint) {
    /** {@code ImagePair v1} or {@code ImagePair current}. */
    public String label() {
      String simple = fullName.substring(fullName.lastIndexOf('.') + 1);
      return simple + (version == 0 ? " current" : " v" + version);
    }
  }

  private static final class Holder {
    static final SchemaStore STANDARD = load(MESSAGE_TYPES, SchemaStore.class.getClassLoader());
  }

  private final Map<Long, Version> byFingerprint;
  private final Map<String, List<Version>> historyByName;
  private final Map<String, Schema> currentByName;

  private SchemaStore(Map<Long, Version> byFingerprint, Map<String, List<Version>> historyByName,
      Map<String, Schema> currentByName) {
    this.byFingerprint = Map.copyOf(byFingerprint);
    this.historyByName = Map.copyOf(historyByName);
    this.currentByName = Map.copyOf(currentByName);
  }

  /** The store of all AlignLoop messages and their history, loaded once per class loader. */
  public static SchemaStore standard() {
    return Holder.STANDARD;
  }

  /**
   * Loads current schemas of {@code types} and their history from {@code loader}.
   *
   * @throws SchemaException ({@link Kind#INVALID_SCHEMA}) if a history file does not parse, or
   *     names another record
   */
  public static SchemaStore load(Collection<Class<? extends SpecificRecord>> types, ClassLoader loader) {
    Map<Long, Version> byFingerprint = new HashMap<>();
    Map<String, List<Version>> history = new LinkedHashMap<>();
    Map<String, Schema> current = new LinkedHashMap<>();
    for (Class<? extends SpecificRecord> type : types) {
      Schema schema = SpecificData.get().getSchema(type);
      String name = schema.getFullName();
      current.put(name, schema);
      List<Version> versions = new ArrayList<>();
      for (int v = 1; ; v++) {
        String path = historyPath(schema.getName(), v);
        try (InputStream in = loader.getResourceAsStream(path)) {
          if (in == null) {
            break;
          }
          Schema old = new Schema.Parser().parse(in);
          if (!old.getFullName().equals(name)) {
            throw new SchemaException(Kind.INVALID_SCHEMA, null,
                path + " defines " + old.getFullName() + ", expected " + name);
          }
          Version version = new Version(name, v, old, fingerprint(old));
          versions.add(version);
          byFingerprint.put(version.fingerprint(), version);
        } catch (IOException | RuntimeException e) {
          if (e instanceof SchemaException se) {
            throw se;
          }
          throw new SchemaException(Kind.INVALID_SCHEMA, null, "cannot read " + path + ": " + e.getMessage(), e);
        }
      }
      history.put(name, List.copyOf(versions));
      // The compiled-in schema wins for its fingerprint: same canonical form, newest docs.
      byFingerprint.put(fingerprint(schema), new Version(name, 0, schema, fingerprint(schema)));
    }
    return new SchemaStore(byFingerprint, history, current);
  }

  /** Classpath path of version {@code v} of record {@code simpleName}. */
  public static String historyPath(String simpleName, int v) {
    return HISTORY_ROOT + "/" + simpleName + "/v" + v + ".avsc";
  }

  /** The wire fingerprint of a schema: CRC-64-AVRO of its parsing canonical form. */
  public static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  /** Avro's lookup: the writer schema for a fingerprint, or null when unknown. */
  @Override
  public Schema findByFingerprint(long fingerprint) {
    Version v = byFingerprint.get(fingerprint);
    return v == null ? null : v.schema();
  }

  /** The known version with this fingerprint. */
  public Optional<Version> version(long fingerprint) {
    return Optional.ofNullable(byFingerprint.get(fingerprint));
  }

  /** Historical versions of a record, oldest first (empty when it has none). */
  public List<Version> history(String fullName) {
    return historyByName.getOrDefault(fullName, List.of());
  }

  /** The current (compiled-in) schema of a record, if it is one of this store's types. */
  public Optional<Schema> current(String fullName) {
    return Optional.ofNullable(currentByName.get(fullName));
  }

  /** Every fingerprint this store resolves. */
  public Set<Long> fingerprints() {
    return byFingerprint.keySet();
  }
}
