package dev.alignloop.schemas;

import java.util.Objects;

/**
 * Result of decoding one Kafka value without throwing: either the record or the failure plus
 * the raw bytes. Produced by {@link AvroSerde#safeDeserializer()}, so a consumer never stalls on
 * a poison message: it sees {@link Failed} at that record's partition and offset, sends a
 * {@link dev.alignloop.schemas.avro.DeadLetter} (see {@link DeadLetters#of}) and moves on.
 *
 * @param <T> the record type
 */
public sealed interface Decoded<T> permits Decoded.Ok, Decoded.Failed {

  /** True for {@link Ok}. */
  boolean isOk();

  /** The record, or the failure rethrown. */
  T orThrow();

  /** A successfully decoded record. */
  record Ok<T>(T value) implements Decoded<T> {
    public Ok {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean isOk() {
      return true;
    }

    @Override
    public T orThrow() {
      return value;
    }
  }

  /**
   * Bytes that did not decode.
   *
   * @param error what went wrong (kind, topic, record type, header preview)
   * @param raw the bytes exactly as received, for the dead-letter record (not copied)
   */
  record Failed<T>(SchemaException error, byte[] raw) implements Decoded<T> {
    public Failed {
      Objects.requireNonNull(error, "error");
    }

    @Override
    public boolean isOk() {
      return false;
    }

    @Override
    public T orThrow() {
      throw error;
    }

    /** Shortcut for {@code error().kind()}. */
    public SchemaException.Kind kind() {
      return error.kind();
    }
  }
}
