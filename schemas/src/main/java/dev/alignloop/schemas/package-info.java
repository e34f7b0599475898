/**
 * AlignLoop's Kafka contract: topic names and settings ({@link dev.alignloop.schemas.Topics}),
 * Avro messages (generated in {@code dev.alignloop.schemas.avro} from {@code src/main/avro}),
 * and their serdes.
 *
 * <h2>Wire format</h2>
 * Values are Avro single-object encoded ({@code C3 01}, 8-byte schema fingerprint, body);
 * keys are UTF-8 strings. {@link dev.alignloop.schemas.SchemaStore} maps fingerprints to the
 * current and every historical schema ({@code src/main/avro-history/<Record>/vN.avsc}), so no
 * registry service is needed and old messages keep decoding. To change a schema: edit the
 * {@code .avsc} compatibly (new fields need defaults), copy the new full schema to the next
 * {@code vN.avsc}, and run the tests: {@code SchemaHistoryTest} enforces the rest.
 *
 * <h2>Errors and dead letters</h2>
 * Every decoding failure is a {@link dev.alignloop.schemas.SchemaException} whose
 * {@link dev.alignloop.schemas.SchemaException.Kind} tells a foreign/garbled payload
 * ({@code BAD_MARKER}) from a producer on an unknown schema version ({@code
 * UNKNOWN_FINGERPRINT}), a record on the wrong topic ({@code WRONG_RECORD_TYPE}) and a damaged
 * body ({@code TRUNCATED}, {@code CORRUPT_BODY}). Services should consume with
 * {@link dev.alignloop.schemas.AvroSerde#safeDeserializer()}: each value arrives as a
 * {@link dev.alignloop.schemas.Decoded}, a poison record is just a {@code Decoded.Failed} at its
 * partition and offset, and
 * {@link dev.alignloop.schemas.DeadLetters#of(org.apache.kafka.clients.consumer.ConsumerRecord,
 * Throwable, String, java.time.Instant)} turns it into the DLQ record. Why not the throwing
 * deserializer: the consumer then throws from {@code poll()} and stays at the bad offset until
 * someone seeks past it; that path is supported too ({@code DeadLetters.of(
 * RecordDeserializationException, ...)}, {@code DeadLetters.describe}).
 */
package dev.alignloop.schemas;
