/**
 * Kafka processing loops shared by the AlignLoop services, on plain {@code kafka-clients}
 * (no framework): the services are thin Micronaut wrappers around them.
 *
 * <ul>
 *   <li>{@link dev.alignloop.streaming.eos.ExactlyOnceProcessor}: read-process-write in Kafka
 *       transactions (generator, scorer). Outputs, dead letters and the consumed offsets commit
 *       together or not at all; downstream {@code read_committed} consumers see each input's
 *       outputs exactly once.
 *   <li>{@link dev.alignloop.streaming.tracking.OffsetTrackingConsumer}: consumption whose
 *       position lives in the caller's own durable state (the trainer's checkpoints), with group
 *       commits only for lag monitoring.
 *   <li>{@link dev.alignloop.streaming.DeadLetterRouter}: one way to build {@code alignloop.dlq}
 *       records.
 *   <li>{@link dev.alignloop.streaming.Producers}: idempotent producers for prompt sources.
 * </ul>
 *
 * <h2>Wire conventions</h2>
 * Keys are UTF-8 strings and values single-object Avro ({@link dev.alignloop.schemas.AvroSerde}).
 * The loops consume raw bytes and decode with the serde's never-throwing {@code tryDecode}, so a
 * poison record never stalls a partition and its dead letter carries the bytes exactly as
 * received.
 */
package dev.alignloop.streaming;
