package dev.alignloop.schemas;

import java.util.HexFormat;

/**
 * Unchecked error for everything that can go wrong between bytes and AlignLoop records: bad
 * single-object header, unknown schema fingerprint, corrupt body, failed encoding, a schema
 * history that does not load. The message always names the topic (when known) and the record
 * type; {@link #kind()} says which failure it was, so callers can count and route by kind.
 *
 * <p>A deserializer cannot know partition and offset. A Kafka consumer wraps this exception in
 * {@link org.apache.kafka.common.errors.RecordDeserializationException}, which adds them; see
 * {@link DeadLetters#describe} and {@link Decoded} for the two ways to handle it.
 */
public class SchemaException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why bytes could not be turned into a record (or the reverse). */
  public enum Kind {
    /** Missing or wrong single-object marker {@code C3 01}: not an AlignLoop Avro message. */
    BAD_MARKER,
    /** Marker is right but the bytes end inside the header or the body. */
    TRUNCATED,
    /** The writer fingerprint is not any known version of any AlignLoop schema. */
    UNKNOWN_FINGERPRINT,
    /** The fingerprint is a known schema, but of another record type (wrong topic?). */
    WRONG_RECORD_TYPE,
    /** Header and fingerprint are fine, but the body does not decode cleanly. */
    CORRUPT_BODY,
    /** A record could not be encoded (e.g. a required field is null). */
    ENCODE_FAILED,
    /** A schema file (current or historical) is missing, unreadable or inconsistent. */
    INVALID_SCHEMA
  }

  private final Kind kind;
  private final String topic;

  /**
   * @param kind which failure
   * @param topic topic involved, or null outside Kafka
   * @param message what and why; the kind and topic are prepended
   * @param cause underlying error, or null
   */
  public SchemaException(Kind kind, String topic, String message, Throwable cause) {
    super(kind + (topic == null ? "" : " on topic " + topic) + ": " + message, cause);
    this.kind = kind;
    this.topic = topic;
  }

  /** Same, without a cause. */
  public SchemaException(Kind kind, String topic, String message) {
    this(kind, topic, message, null);
  }

  /** Which failure this was. */
  public Kind kind() {
    return kind;
  }

  /** Topic the bytes came from or were meant for; null outside Kafka. */
  public String topic() {
    return topic;
  }

  /** First bytes of a payload as hex, for messages: enough to eyeball a header, never a dump. */
  static String preview(byte[] data) {
    if (data == null) {
      return "null";
    }
    int n = Math.min(data.length, 16);
    String hex = HexFormat.ofDelimiter(" ").formatHex(data, 0, n);
    return data.length + " bytes [" + hex + (data.length > n ? " ..." : "") + "]";
  }
}
