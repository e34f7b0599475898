/**
 * Kafka side of the monitor: {@link dev.alignloop.monitor.kafka.TopicWatcher} (reads every
 * topic, group-less, from the beginning) and {@link dev.alignloop.monitor.kafka.LagMonitor}
 * (consumer-group lag and topic sizes from the AdminClient). Both reconnect with {@link
 * dev.alignloop.monitor.kafka.Backoff} when the broker goes away.
 */
package dev.alignloop.monitor.kafka;
