/**
 * Test support shipped in the broker test-jar: {@link
 * dev.alignloop.broker.testing.KafkaBrokerExtension} (one real embedded broker per test JVM)
 * and {@link dev.alignloop.broker.testing.KafkaTestCluster} (client settings, unique topics,
 * read helpers). Depends on JUnit Jupiter, which consumers have in test scope.
 */
package dev.alignloop.broker.testing;
