package dev.alignloop.streaming.eos;

import org.apache.kafka.common.TopicPartition;

/**
 * One dead letter that was committed.
 *
 * @param source where the failed record was
 * @param offset its offset
 * @param category bounded label for metrics: {@code decode.<SchemaException.Kind>}, {@code
 *     null-value}, {@code rejected} or {@code output-encode}
 * @param reason the full reason stored in the dead letter
 */
public record DeadLetterEvent(TopicPartition source, long offset, String category, String reason) {}
