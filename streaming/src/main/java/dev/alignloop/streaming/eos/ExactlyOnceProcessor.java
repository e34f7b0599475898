package dev.alignloop.streaming.eos;

import dev.alignloop.schemas.Topics;
import dev.alignloop.streaming.DeadLetterRouter;
import dev.alignloop.streaming.RecordDecoder;
import dev.alignloop.streaming.StreamingException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once read-process-write: consumes a topic in a {@code read_committed} group, hands
 * each polled batch to a {@link BatchHandler}, and in ONE Kafka transaction produces the outputs,
 * the dead letters of bad inputs and the batch's offsets ({@code sendOffsetsToTransaction} with
 * the consumer's group metadata, so a zombie of an older generation cannot commit). Downstream
 * {@code read_committed} consumers see each input's outputs exactly once, through crashes,
 * restarts and rebalances.
 *
 * <pre>{@code
 * ExactlyOnceProcessor<ImagePair, PreferenceLabel> scorer = ExactlyOnceProcessor.<ImagePair, PreferenceLabel>builder()
 *     .setKafka(settings)
 *     .setInput(Topics.PAIRS, AvroSerde.of(ImagePair.class).safeDeserializer())
 *     .setOutput(AvroSerde.of(PreferenceLabel.class).serializer())
 *     .setGroupId("scorer").setTransactionalId("scorer", podName).setService("scorer-service")
 *     .setHandler(pairs -> scoreAll(pairs))   // List<Outcome<PreferenceLabel>>, one per pair
 *     .build()
 *     .start();
 * }</pre>
 *
 * <h2>Failures</h2>
 * <ul>
 *   <li>Bad input (undecodable bytes, tombstones, {@link Outcome.Reject}): dead-lettered in the
 *       batch's transaction; the records after it are processed.
 *   <li>Handler throws, or the transaction fails with a retriable error: abort, rewind the
 *       consumer to the committed offsets, back off (exponential), poll and retry. Nothing is
 *       dead-lettered for a transient failure.
 *   <li>Fenced ({@code ProducerFencedException}, {@code InvalidProducerEpochException}): another
 *       instance with the same transactional id started; this one closes its clients and ends in
 *       {@link ProcessorState#FENCED}.
 *   <li>Authorization or protocol errors, a handler breaking its contract, or {@code
 *       maxConsecutiveFailures} reached: {@link ProcessorState#FAILED}.
 * </ul>
 * An output that can never be produced (e.g. larger than {@code max.request.size}) fails its
 * transaction every time: set {@code maxConsecutiveFailures} to turn that stall into FAILED.
 * A transaction spans only send + commit (the handler runs before it begins), so it never nears
 * {@code transaction.timeout.ms}.
 *
 * <h2>Threading and back-pressure</h2>
 * One thread polls, runs the handler and commits ({@link #start()} makes it, or call {@link
 * #run()} on your own). Batches are bounded by {@code max.poll.records}; the next poll happens
 * only after the batch committed, so a slow handler slows consumption and lag grows instead of
 * memory. Keep {@code max.poll.interval.ms} above the worst batch time. Rebalances happen only
 * inside {@code poll()}, when no transaction is open, so revoked partitions need no commit.
 * Tested with the classic group protocol (the default); static membership can be enabled with
 * {@code optConsumerProperty("group.instance.id", instanceId)}.
 */
public final class ExactlyOnceProcessor<I, O> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceProcessor.class);

  private final String inputTopic;
  private final String groupId;
  private final String transactionalId;
  private final RecordDecoder<I> decoder;
  private final Serializer<O> outputValues;
  private final BatchHandler<I, O> handler;
  private final DeadLetterRouter router;
  private final ProcessorListener listener;
  private final Duration pollTimeout;
  private final Duration backoffInitial;
  private final Duration backoffMax;
  private final Duration closeTimeout;
  private final int maxConsecutiveFailures;
  private final TransactionalSender sender;
  private final Consumer<byte[], byte[]> consumer;

  private final AtomicReference<ProcessorState> state = new AtomicReference<>(ProcessorState.CREATED);
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private final CountDownLatch terminated = new CountDownLatch(1);
  private volatile boolean stopRequested;
  private volatile boolean haltRequested;
  private volatile Throwable failure;
  private volatile Thread loopThread;
  private int consecutiveFailures; // loop thread only

  ExactlyOnceProcessor(ProcessorBuilder<I, O> b) {
    this.inputTopic = b.inputTopic;
    this.groupId = b.groupId;
    this.transactionalId = b.transactionalId();
    this.decoder = new RecordDecoder<>(b.inputValues,
        Topics.valueType(b.inputTopic).map(Class::getSimpleName).orElse("a value"));
    this.outputValues = b.outputValues;
    this.handler = b.handler;
    this.router = new DeadLetterRouter(b.service, b.clock, b.deadLetterTopic);
    this.listener = new SafeListener(b.listener, transactionalId);
    this.pollTimeout = b.pollTimeout;
    this.backoffInitial = b.backoffInitial;
    this.backoffMax = b.backoffMax;
    this.closeTimeout = b.closeTimeout;
    this.maxConsecutiveFailures = b.maxConsecutiveFailures;

    Properties producerProps = b.kafka.transactionalProducer(transactionalId);
    producerProps.putAll(b.producerOverrides);
    this.sender = new TransactionalSender(
        () -> new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer()), transactionalId);
    Properties consumerProps = b.kafka.readCommittedConsumer(groupId);
    consumerProps.putAll(b.consumerOverrides);
    consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, b.maxPollRecords);
    consumerProps.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
        (int) Math.min(Integer.MAX_VALUE, b.maxPollInterval.toMillis()));
    try {
      this.consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    } catch (RuntimeException e) {
      sender.close(true, Duration.ZERO);
      throw e;
    }
  }

  /** A builder; see {@link ProcessorBuilder}. */
  public static <I, O> ProcessorBuilder<I, O> builder() {
    return new ProcessorBuilder<>();
  }

  /** Runs the loop on a new thread named after the transactional id; returns this. */
  public ExactlyOnceProcessor<I, O> start() {
    Thread thread = new Thread(this::run, "alignloop-eos-" + transactionalId);
    thread.start();
    return this;
  }

  /**
   * Runs the loop on the calling thread until {@link #close()}, {@link #halt()}, fencing or a
   * fatal error; never throws (see {@link #state()} and {@link #failure()}). Call it or {@link
   * #start()} once.
   */
  public void run() {
    if (!state.compareAndSet(ProcessorState.CREATED, ProcessorState.STARTING)) {
      throw new IllegalStateException(transactionalId + " was already started or closed: " + state.get());
    }
    loopThread = Thread.currentThread();
    listener.onStateChange(ProcessorState.CREATED, ProcessorState.STARTING, null);
    ProcessorState end;
    Throwable cause = null;
    try {
      end = loop();
    } catch (Stop stop) {
      end = stop.state;
      cause = stop.getCause();
    } catch (Throwable t) {
      end = ProcessorState.FAILED;
      cause = t;
    }
    boolean interrupted = Thread.interrupted(); // so the clients can close cleanly
    try {
      sender.close(end == ProcessorState.HALTED, closeTimeout);
      consumer.close();
    } catch (RuntimeException e) {
      LOG.warn("{}: consumer close failed: {}", transactionalId, e.toString());
    } finally {
      failure = cause;
      if (cause != null) {
        LOG.error("{} stopped: {}", transactionalId, end, cause);
      }
      moveTo(end, cause);
      terminated.countDown();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private ProcessorState loop() {
    boolean subscribed = false;
    while (true) {
      if (haltRequested) {
        return ProcessorState.HALTED;
      }
      if (stopRequested) {
        return ProcessorState.STOPPED;
      }
      if (!sender.isReady()) {
        // Before consuming: initTransactions fences our previous incarnation and aborts its open
        // transaction, so the committed offsets we start from are final.
        try {
          sender.init();
        } catch (RuntimeException e) {
          failed(e, null);
          continue;
        }
      }
      if (!subscribed) {
        consumer.subscribe(List.of(inputTopic), new RebalanceReporter(listener));
        subscribed = true;
        if (state.compareAndSet(ProcessorState.STARTING, ProcessorState.RUNNING)) { // not if STOPPING
          LOG.info("{}: STARTING -> RUNNING", transactionalId);
          listener.onStateChange(ProcessorState.STARTING, ProcessorState.RUNNING, null);
        }
      }
      ConsumerRecords<byte[], byte[]> polled;
      try {
        polled = consumer.poll(pollTimeout);
      } catch (WakeupException | InterruptException e) {
        stopRequested |= e instanceof InterruptException;
        continue; // the flags at the top decide
      } catch (KafkaException e) {
        failed(e, null);
        continue;
      }
      if (!polled.isEmpty()) {
        process(new PolledBatch<>(polled, decoder));
      }
    }
  }

  private void process(PolledBatch<I> batch) {
    long polledAt = System.nanoTime();
    List<Outcome<O>> outcomes = List.of();
    if (!batch.inputs.isEmpty()) {
      try {
        outcomes = handler.handle(List.copyOf(batch.inputs));
      } catch (Exception e) {
        failed(e, batch);
        return;
      }
      String broken = batch.contractViolation(outcomes);
      if (broken != null) {
        // A bug, not a transient failure: retrying would loop forever.
        throw new Stop(ProcessorState.FAILED, new StreamingException("handler of " + inputTopic + " " + broken));
      }
    }
    long handled = System.nanoTime();
    batch.prepare(outcomes, outputValues, router);
    try {
      sender.commit(batch.toSend, batch.nextOffsets, consumer.groupMetadata(), () -> haltRequested);
    } catch (TransactionalSender.Halted h) {
      throw new Stop(ProcessorState.HALTED, null);
    } catch (RuntimeException e) {
      stopIfFatal(e);
      try {
        sender.abort();
      } catch (RuntimeException abortError) {
        stopIfFatal(abortError);
      }
      failed(e, batch);
      return;
    }
    long committed = System.nanoTime();
    listener.onBatchCommitted(new BatchReport(batch.size(), batch.outputs, batch.skipped,
        batch.deadLetters.size(), Duration.ofNanos(handled - polledAt), Duration.ofNanos(committed - handled),
        Duration.ofNanos(committed - polledAt), consecutiveFailures + 1));
    consecutiveFailures = 0;
    for (DeadLetterEvent event : batch.deadLetters) {
      LOG.warn("{}: dead-lettered {}-{}@{} ({}): {}", transactionalId, event.source().topic(),
          event.source().partition(), event.offset(), event.category(), event.reason());
      listener.onDeadLetter(event);
    }
  }

  private void stopIfFatal(Throwable error) {
    switch (TransactionErrors.classify(error)) {
      case FENCED -> throw new Stop(ProcessorState.FENCED, error);
      case FAIL -> throw new Stop(ProcessorState.FAILED, error);
      case RETRY -> { }
    }
  }

  /** Something failed and may work on retry: rewind the batch (if any), then back off. */
  private void failed(Exception cause, PolledBatch<I> batch) {
    stopIfFatal(cause);
    consecutiveFailures++;
    if (maxConsecutiveFailures > 0 && consecutiveFailures >= maxConsecutiveFailures) {
      throw new Stop(ProcessorState.FAILED, new StreamingException(transactionalId + " gave up on "
          + inputTopic + " after " + consecutiveFailures + " failed attempts in a row", cause));
    }
    Duration backoff = backoff(consecutiveFailures);
    LOG.warn("{}: batch of {} from {} failed (attempt {}), retrying in {}: {}", transactionalId,
        batch == null ? 0 : batch.size(), inputTopic, consecutiveFailures, backoff, cause.toString());
    listener.onRetry(cause, consecutiveFailures, backoff);
    if (batch != null && !stopRequested && !haltRequested) {
      // (When stopping, nothing more is processed; the next owner starts from the committed offsets.)
      try {
        batch.rewind(consumer, closeTimeout);
      } catch (WakeupException | InterruptException e) {
        stopRequested |= e instanceof InterruptException;
      }
    }
    try {
      stopSignal.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      stopRequested = true;
    }
  }

  private Duration backoff(int failures) {
    long millis = backoffInitial.toMillis() << Math.min(failures - 1, 20);
    return millis >= backoffMax.toMillis() || millis <= 0 ? backoffMax : Duration.ofMillis(millis);
  }

  /**
   * Simulates a crash (kill -9) for tests and chaos drills: the batch in flight is sent and its
   * offsets added to the transaction, which is then left open (neither committed nor aborted),
   * and the producer is closed without cleanup. A new instance with the same transactional id
   * aborts the leftover transaction. Ends in {@link ProcessorState#HALTED}. (The consumer does
   * leave its group, unlike a real crash, so the successor need not wait for the session timeout.)
   */
  public void halt() {
    haltRequested = true;
    stopSignal.countDown();
    if (Thread.currentThread() != loopThread) {
      consumer.wakeup();
    }
  }

  /** Stops gracefully, waiting up to the configured close timeout; see {@link #close(Duration)}. */
  @Override
  public void close() {
    close(closeTimeout);
  }

  /**
   * Stops: the batch in flight finishes and commits (or, if it fails, is aborted), then the
   * clients close. Safe from any thread, also from the handler (then it returns at once and the
   * loop stops after the batch).
   *
   * @return true if the loop ended within {@code timeout}
   */
  public boolean close(Duration timeout) {
    stopRequested = true;
    stopSignal.countDown();
    if (state.compareAndSet(ProcessorState.CREATED, ProcessorState.STOPPED)) {
      sender.close(false, timeout);
      consumer.close();
      listener.onStateChange(ProcessorState.CREATED, ProcessorState.STOPPED, null);
      terminated.countDown();
      return true;
    }
    for (ProcessorState from : List.of(ProcessorState.STARTING, ProcessorState.RUNNING)) {
      if (state.compareAndSet(from, ProcessorState.STOPPING)) {
        listener.onStateChange(from, ProcessorState.STOPPING, null);
      }
    }
    if (Thread.currentThread() == loopThread) {
      return false;
    }
    consumer.wakeup();
    return awaitTermination(timeout);
  }

  /** Waits for the loop to end; true if it did within {@code timeout}. */
  public boolean awaitTermination(Duration timeout) {
    try {
      return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Current state. */
  public ProcessorState state() {
    return state.get();
  }

  /** Why it ended in FENCED or FAILED. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /** {@code prefix-instanceId}. */
  public String transactionalId() {
    return transactionalId;
  }

  /** The consumer group. */
  public String groupId() {
    return groupId;
  }

  private void moveTo(ProcessorState to, Throwable cause) {
    ProcessorState from = state.getAndSet(to);
    if (from != to) {
      LOG.info("{}: {} -> {}", transactionalId, from, to);
      listener.onStateChange(from, to, cause);
    }
  }

  /** Unwinds the loop to {@link #run()}'s end state. */
  private static final class Stop extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient ProcessorState state;

    Stop(ProcessorState state, Throwable cause) {
      super(state.name(), cause, false, false);
      this.state = state;
    }
  }
}
