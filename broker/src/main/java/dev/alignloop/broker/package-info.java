/**
 * AlignLoop's embedded Kafka: a real single-node KRaft broker (Kafka 4.1 from the Maven jars)
 * run in-process, for the demo ({@link dev.alignloop.broker.BrokerMain}, wrapped by the CLI's
 * {@code alignloop broker}) and for integration tests (the test-jar's
 * {@code dev.alignloop.broker.testing.KafkaBrokerExtension}).
 *
 * <p>Why in-process rather than a container or {@code kafka-server-start.sh}: the demo must run
 * from one {@code java} command with no Docker and no Kafka install, and tests need a broker in
 * seconds. It is still a real broker: transactions, compaction, consumer groups, read_committed
 * all behave as in production. Keep it off service classpaths in production images; services
 * need only kafka-clients.
 */
package dev.alignloop.broker;
