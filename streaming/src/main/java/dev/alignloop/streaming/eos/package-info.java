/**
 * Exactly-once read-process-write: {@link dev.alignloop.streaming.eos.ExactlyOnceProcessor}
 * with its {@link dev.alignloop.streaming.eos.BatchHandler} contract ({@link
 * dev.alignloop.streaming.eos.Outcome}: emit, skip or reject each input), its builder and its
 * metrics hooks ({@link dev.alignloop.streaming.eos.ProcessorListener}).
 *
 * <h2>Why it is exactly-once</h2>
 * For each polled batch, outputs, dead letters and the consumed offsets are written in one
 * Kafka transaction. A crash before the commit leaves the transaction open; the restarted
 * instance (same transactional id) aborts it in {@code initTransactions} before it reads its
 * group's committed offsets, so it redoes exactly the uncommitted batch, and {@code
 * read_committed} consumers never see the aborted attempt. A zombie (the old instance still
 * running) is fenced by the epoch bump of the same id, and by the consumer group generation
 * that {@code sendOffsetsToTransaction} carries (KIP-447) if its partitions moved to another
 * instance.
 *
 * <h2>Instance ids</h2>
 * Transactional id = {@code prefix-instanceId}. Give each replica a stable id (StatefulSet pod
 * name, host name): a restarted replica then fences its own zombie. Two live replicas with the
 * same id fence each other, one ends {@code FENCED}. Under KIP-447 the id no longer has to
 * follow partitions, so scaling the group up or down needs nothing more.
 */
package dev.alignloop.streaming.eos;
