/**
 * Kafka client configuration shared by every service: {@link
 * dev.alignloop.common.kafka.KafkaSettings} (validated connection and security settings) builds
 * the {@link java.util.Properties} for transactional and plain producers, read-committed
 * consumers and admin clients; {@link dev.alignloop.common.kafka.KafkaConfigKeys} documents every
 * key in one place.
 */
package dev.alignloop.common.kafka;
