package dev.alignloop.streaming.eos;

import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor's transactional producer and its life: initialize (fencing the previous
 * incarnation), one transaction per batch, abort, and replacement when the producer is left in
 * a fatal state. Used by the loop thread only.
 */
final class TransactionalSender {

  private static final Logger LOG = LoggerFactory.getLogger(TransactionalSender.class);

  /** The transaction was left open on purpose ({@link ExactlyOnceProcessor#halt()}). */
  static final class Halted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Halted() {
      super("halted", null, false, false);
    }
  }

  private final Supplier<Producer<String, byte[]>> factory;
  private final String transactionalId;
  private Producer<String, byte[]> producer;
  private boolean ready;

  TransactionalSender(Supplier<Producer<String, byte[]>> factory, String transactionalId) {
    this.factory = factory;
    this.transactionalId = transactionalId;
    // Created now so misconfiguration fails at build time; it connects in initTransactions.
    this.producer = factory.get();
  }

  boolean isReady() {
    return ready;
  }

  /**
   * Creates the producer if needed and initializes transactions: bumps the epoch of our
   * transactional id, which fences a zombie twin and aborts its open transaction.
   *
   * @throws RuntimeException as the client throws it; the producer is then discarded
   */
  void init() {
    try {
      if (producer == null) {
        producer = factory.get();
      }
      producer.initTransactions();
      ready = true;
    } catch (RuntimeException e) {
      discard();
      throw e;
    }
  }

  /**
   * Sends {@code records} and commits them with {@code offsets} in one transaction.
   *
   * @param halt if true, leave the transaction open after everything is written
   * @throws Halted if {@code halt} was set
   */
  void commit(Iterable<ProducerRecord<String, byte[]>> records, Map<TopicPartition, OffsetAndMetadata> offsets,
      ConsumerGroupMetadata group, BooleanSupplier halt) {
    producer.beginTransaction();
    for (ProducerRecord<String, byte[]> record : records) {
      producer.send(record); // a failed send surfaces from commitTransaction
    }
    producer.sendOffsetsToTransaction(offsets, group);
    if (halt.getAsBoolean()) {
      // Crash drill: all is in the log; the transaction is neither committed nor aborted.
      producer.flush();
      throw new Halted();
    }
    producer.commitTransaction();
  }

  /**
   * Aborts the open transaction. If the producer cannot (it is in a fatal state), discards it;
   * the next {@link #init()} creates a new one, whose initTransactions aborts what is left.
   *
   * @throws RuntimeException from {@code abortTransaction} if it says we are fenced or
   *     unauthorized (the caller classifies it)
   */
  void abort() {
    try {
      producer.abortTransaction();
    } catch (RuntimeException e) {
      if (TransactionErrors.classify(e) != TransactionErrors.Action.RETRY) {
        throw e;
      }
      LOG.warn("{}: abort failed ({}); replacing the producer", transactionalId, e.toString());
      discard();
    }
  }

  /** Closes the producer; {@code crash} leaves an open transaction open (no abort, no flush). */
  void close(boolean crash, Duration timeout) {
    if (producer == null) {
      return;
    }
    try {
      producer.close(crash ? Duration.ZERO : timeout);
    } catch (RuntimeException e) {
      LOG.warn("{}: producer close failed: {}", transactionalId, e.toString());
    }
    producer = null;
    ready = false;
  }

  private void discard() {
    close(true, Duration.ZERO);
  }
}
