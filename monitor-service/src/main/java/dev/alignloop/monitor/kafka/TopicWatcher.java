package dev.alignloop.monitor.kafka;

import dev.alignloop.common.kafka.KafkaSettings;
import dev.alignloop.monitor.MonitorConfig;
import dev.alignloop.monitor.aggregate.MonitorState;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads all six AlignLoop topics from the beginning, read_committed, into {@link MonitorState}.
 *
 * <p><b>No consumer group.</b> The consumer has no {@code group.id}: it {@code assign()}s every
 * partition itself and never commits. So it cannot join, rebalance or commit for any service's
 * group, it never shows up in lag tables, and a restart simply replays the retained history
 * into the (in-memory, bounded) aggregates, which is exactly what a fresh dashboard needs. Its
 * {@code client.id} still names it ({@code <prefix>-consumer-alignloop-monitor-<instance>-N})
 * for broker logs and quotas.
 *
 * <p>Topics and partitions that appear later (the monitor may start before the loop creates its
 * topics) are picked up every {@code refresh-interval}. Values are bytes, decoded by {@link
 * MonitorState} with the safe deserializer, so a poison message is counted, not fatal. Any
 * client failure closes the consumer and a new one resumes from the next unread offsets after
 * a {@link Backoff}; a broker restart is survived by the client's own reconnects.
 */
@Context
public final class TopicWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TopicWatcher.class);
  private static final Duration POLL = Duration.ofMillis(500);

  private final KafkaSettings kafka;
  private final MonitorConfig config;
  private final WatchedTopics topics;
  private final MonitorState state;
  private final Clock clock;
  private final CountDownLatch stopped = new CountDownLatch(1);
  // Next offset to read per partition; survives consumer re-creation. Watcher thread only.
  private final Map<TopicPartition, Long> next = new HashMap<>();
  private final Thread thread;
  private volatile boolean running;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile String lastError;

  /** Creates the watcher; {@link #start()} runs it (called by the container). */
  public TopicWatcher(KafkaSettings kafka, MonitorConfig config, WatchedTopics topics, MonitorState state,
      Clock clock) {
    this.kafka = kafka;
    this.config = config;
    this.topics = topics;
    this.state = state;
    this.clock = clock;
    this.thread = new Thread(this::run, config.clientName() + "-watcher");
    this.thread.setDaemon(true);
  }

  /** Starts the reading thread. */
  @PostConstruct
  public synchronized void start() {
    if (!running && stopped.getCount() > 0) {
      running = true;
      thread.start();
    }
  }

  /** The last client failure, or null while reading works. */
  public String lastError() {
    return lastError;
  }

  private void run() {
    Backoff backoff = new Backoff(config.maxBackoff());
    while (running) {
      try (KafkaConsumer<byte[], byte[]> c =
          new KafkaConsumer<>(consumerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer = c;
        if (!running) {
          return; // close() ran before the consumer was published: it could not wake it
        }
        readUntilStopped(c, backoff);
      } catch (WakeupException e) {
        // close()
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        lastError = e.toString();
        Duration delay = backoff.nextDelay();
        LOG.warn("Topic watcher failed ({}); new consumer in {} ms", e.toString(), delay.toMillis());
        awaitStop(delay);
      } finally {
        consumer = null;
      }
    }
  }

  private void readUntilStopped(KafkaConsumer<byte[], byte[]> c, Backoff backoff) {
    long nextRefresh = 0;
    while (running) {
      if (clock.millis() >= nextRefresh) {
        refreshAssignment(c);
        nextRefresh = clock.millis() + config.refreshInterval().toMillis();
      }
      for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
        state.accept(r, clock.millis());
        next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
      }
      lastError = null;
      backoff.reset();
    }
  }

  /** Assigns every partition of every existing watched topic; new ones start where we left off. */
  private void refreshAssignment(KafkaConsumer<byte[], byte[]> c) {
    Map<String, List<PartitionInfo>> existing = c.listTopics(config.requestTimeout());
    Set<TopicPartition> wanted = new HashSet<>();
    for (String topic : topics.names()) {
      for (PartitionInfo p : existing.getOrDefault(topic, List.of())) {
        wanted.add(new TopicPartition(topic, p.partition()));
      }
    }
    Set<TopicPartition> added = new HashSet<>(wanted);
    added.removeAll(c.assignment());
    if (added.isEmpty() && wanted.size() == c.assignment().size()) {
      return;
    }
    c.assign(wanted);
    for (TopicPartition tp : added) {
      Long offset = next.get(tp);
      if (offset != null) {
        c.seek(tp, offset);
      } else {
        c.seekToBeginning(List.of(tp));
      }
    }
    LOG.info("Watching {} partitions of {}", wanted.size(), topics.names());
  }

  private Properties consumerProperties() {
    Properties p = kafka.readCommittedConsumer(config.clientName());
    // See the class doc: assign() without a group, so nothing is ever committed or joined.
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return p;
  }

  private void awaitStop(Duration delay) {
    try {
      stopped.await(delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /** Stops reading and closes the consumer (waits up to 10 s for the thread). */
  @PreDestroy
  @Override
  public void close() {
    synchronized (this) {
      running = false;
      stopped.countDown();
    }
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    if (thread.isAlive() && thread != Thread.currentThread()) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
