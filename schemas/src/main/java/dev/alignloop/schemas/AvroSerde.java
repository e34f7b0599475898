package dev.alignloop.schemas;

import dev.alignloop.schemas.SchemaException.Kind;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for one AlignLoop record type in Avro <a
 * href="https://avro.apache.org/docs/1.12.0/specification/#single-object-encoding">single-object
 * encoding</a>: marker {@code C3 01}, 8-byte little-endian CRC-64-AVRO fingerprint of the
 * writer schema, then the Avro binary body. No registry service is needed: the writer schema is
 * looked up in a {@link SchemaStore} that holds every committed version.
 *
 * <p>Writing uses Avro's {@link BinaryMessageEncoder}, so the bytes are exactly what Avro's
 * {@code BinaryMessageDecoder} reads. Reading is stricter than Avro's decoder: it tells a bad
 * marker from an unknown fingerprint from a truncated or corrupt body, rejects trailing bytes,
 * and never allocates more than the message holds (see {@code BoundedDecoder}).
 *
 * <pre>{@code
 * AvroSerde<ImagePair> pairs = AvroSerde.of(ImagePair.class);
 * new KafkaProducer<>(props, new StringSerializer(), pairs.serializer());
 * new KafkaConsumer<>(props, new StringDeserializer(), pairs.safeDeserializer()); // never throws
 * }</pre>
 *
 * <p>Null values (tombstones) map to null both ways. Thread-safe; serializers and deserializers
 * hold no per-consumer state, so one instance can serve many clients.
 *
 * @param <T> the generated record class
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

  /** Single-object encoding marker (spec: 0xC3 0x01). */
  static final byte MARKER_0 = (byte) 0xC3;
  static final byte MARKER_1 = (byte) 0x01;
  /** Marker plus fingerprint. */
  static final int HEADER_LENGTH = 10;

  private final Class<T> type;
  private final Schema readerSchema;
  private final SpecificData model;
  private final SchemaStore store;
  private final BinaryMessageEncoder<T> encoder;
  private final Map<Long, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

  private AvroSerde(Class<T> type, SchemaStore store) {
    this.type = Objects.requireNonNull(type, "type");
    this.store = Objects.requireNonNull(store, "store");
    // The class's own model carries its logical-type conversions (timestamp-millis -> Instant).
    this.model = SpecificData.getForClass(type);
    this.readerSchema = model.getSchema(type);
    this.encoder = new BinaryMessageEncoder<>(model, readerSchema);
  }

  /** Serde for {@code type} backed by {@link SchemaStore#standard()}. */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
    return new AvroSerde<>(type, SchemaStore.standard());
  }

  /** Serde for {@code type} resolving writer fingerprints in {@code store}. */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, SchemaStore store) {
    return new AvroSerde<>(type, store);
  }

  /** The record class this serde reads and writes. */
  public Class<T> type() {
    return type;
  }

  /** The schema records are read into (the current one). */
  public Schema schema() {
    return readerSchema;
  }

  /**
   * Encodes a record with the current schema.
   *
   * @throws SchemaException ({@link Kind#ENCODE_FAILED}) e.g. when a required field is null
   */
  public byte[] encode(String topic, T record) {
    if (record == null) {
      return null;
    }
    try {
      ByteBuffer buffer = encoder.encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (Exception e) {
      throw new SchemaException(Kind.ENCODE_FAILED, topic,
          "cannot encode " + type.getSimpleName() + ": " + e, e);
    }
  }

  /**
   * Decodes single-object bytes written by any known version of this record's schema.
   *
   * @param topic where the bytes came from, for the error message (may be null)
   * @return the record, or null for null bytes (a tombstone)
   * @throws SchemaException naming the {@link Kind}, topic, record type and a header preview
   */
  public T decode(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (data.length < 2 || data[0] != MARKER_0 || data[1] != MARKER_1) {
      throw failure(Kind.BAD_MARKER, topic, data, "expected single-object marker C3 01", null);
    }
    if (data.length < HEADER_LENGTH) {
      throw failure(Kind.TRUNCATED, topic, data, "header needs " + HEADER_LENGTH + " bytes", null);
    }
    long fingerprint = ByteBuffer.wrap(data, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    SpecificDatumReader<T> reader = readers.get(fingerprint);
    if (reader == null) {
      reader = readerFor(topic, data, fingerprint);
      readers.putIfAbsent(fingerprint, reader);
    }
    BoundedDecoder in = new BoundedDecoder(data, HEADER_LENGTH, data.length - HEADER_LENGTH);
    T value;
    try {
      value = reader.read(null, in);
    } catch (EOFException e) {
      throw failure(Kind.TRUNCATED, topic, data, "body ends early (" + e.getMessage() + ")", e);
    } catch (Exception e) {
      throw failure(Kind.CORRUPT_BODY, topic, data, "body does not decode: " + e, e);
    }
    if (in.remaining() > 0) {
      throw failure(Kind.CORRUPT_BODY, topic, data, in.remaining() + " trailing bytes after the record", null);
    }
    return value;
  }

  /**
   * Like {@link #decode} but never throws: a failure comes back as {@link Decoded.Failed} with
   * the raw bytes. Returns null for null bytes.
   */
  public Decoded<T> tryDecode(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      return new Decoded.Ok<>(decode(topic, data));
    } catch (SchemaException e) {
      return new Decoded.Failed<>(e, data);
    }
  }

  private SpecificDatumReader<T> readerFor(String topic, byte[] data, long fingerprint) {
    SchemaStore.Version writer = store.version(fingerprint).orElseThrow(() -> failure(
        Kind.UNKNOWN_FINGERPRINT, topic, data,
        String.format("writer fingerprint %016x is no known version of any AlignLoop schema", fingerprint),
        null));
    if (!writer.fullName().equals(readerSchema.getFullName())) {
      throw failure(Kind.WRONG_RECORD_TYPE, topic, data,
          "bytes were written as " + writer.label() + " (wrong topic or serde?)", null);
    }
    return new SpecificDatumReader<>(writer.schema(), readerSchema, model);
  }

  private SchemaException failure(Kind kind, String topic, byte[] data, String detail, Throwable cause) {
    return new SchemaException(kind, topic,
        "cannot decode " + type.getSimpleName() + ": " + detail + "; " + SchemaException.preview(data), cause);
  }

  /** Kafka serializer writing single-object encoding with the current schema. */
  @Override
  public Serializer<T> serializer() {
    return this::encode;
  }

  /**
   * Kafka deserializer that throws {@link SchemaException} on bad bytes. Inside a consumer the
   * exception arrives wrapped in {@link org.apache.kafka.common.errors.RecordDeserializationException}
   * with partition and offset, and the consumer must {@code seek} past it; prefer {@link
   * #safeDeserializer()} in services.
   */
  @Override
  public Deserializer<T> deserializer() {
    return this::decode;
  }

  /** Kafka deserializer that never throws: see {@link Decoded}. */
  public Deserializer<Decoded<T>> safeDeserializer() {
    return this::tryDecode;
  }
}
