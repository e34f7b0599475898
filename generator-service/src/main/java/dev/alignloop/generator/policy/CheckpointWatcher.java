package dev.alignloop.generator.policy;

import dev.alignloop.diffusion.checkpoint.CheckpointLocator;
import dev.alignloop.common.kafka.KafkaSettings;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.Decoded;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.CheckpointStatus;
import dev.alignloop.streaming.eos.ProcessorState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * Follows the checkpoint topic and hot-swaps the generator to each newly PROMOTED checkpoint.
 *
 * <p>The topic is compacted with the version as key, so it holds the latest status of every
 * version. The watcher reads it from the beginning on every start ({@code assign}, no consumer
 * group, nothing committed; {@code read_committed}, so an aborted status write is never acted
 * on), keeps the latest record per version, and once it has read up to the end offsets it had
 * at start ("caught up") considers the PROMOTED versions newer than the serving one, newest
 * first: the first that resolves, verifies and loads becomes current ({@link
 * PolicyManager#swapTo}). CANDIDATE and REJECTED versions are never loaded. A version that fails
 * is logged and counted and not retried until a new record for it arrives; the serving policy
 * stays.
 *
 * <p>Catching up before deciding means a restarted generator goes straight to the latest
 * promoted policy instead of loading every historical one in turn.
 */
public final class CheckpointWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointWatcher.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final String topic;
    private final KafkaSettings kafka;
    private final PolicyManager policies;
    private final CheckpointLocator resolver;
    private final PolicyListener listener;
    private final AvroSerde<Checkpoint> serde = AvroSerde.of(Checkpoint.class);
    private final Map<String, Checkpoint> latest = new HashMap<>(); // watcher thread only
    private final Set<String> failed = new HashSet<>(); // watcher thread only: record identities
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;
    private volatile ProcessorState state = ProcessorState.CREATED;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    /**
     * @param topic the checkpoint topic
     * @param kafka how to reach Kafka
     * @param policies what to swap
     * @param resolver turns records into verified folders
     * @param listener told about failed loads (successes are reported by {@code policies})
     */
    public CheckpointWatcher(String topic, KafkaSettings kafka, PolicyManager policies, CheckpointLocator resolver,
            PolicyListener listener) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.kafka = Objects.requireNonNull(kafka, "kafka");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Starts the watcher thread; returns this. */
    public synchronized CheckpointWatcher start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        state = ProcessorState.STARTING;
        thread = new Thread(this::run, "alignloop-checkpoint-watcher");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /**
     * Waits until the topic was read to its end offsets at start and any newer PROMOTED version
     * was loaded (or failed).
     *
     * @param timeout longest wait
     * @return whether it caught up in time
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return RUNNING while following the topic; FAILED only on an unexpected error (a bug) */
    public ProcessorState state() {
        return state;
    }

    private void run() {
        long backoffMs = 100;
        try {
            while (!closing) {
                try {
                    follow();
                } catch (WakeupException e) {
                    // close() woke the poll: the loop condition ends it
                } catch (RuntimeException e) {
                    if (closing) {
                        break;
                    }
                    // Broker unreachable at start, topic missing: start over from the beginning.
                    LOG.warn("checkpoint watcher on {}: {}; retrying in {} ms", topic, e.toString(), backoffMs);
                    if (stopped.await(backoffMs, TimeUnit.MILLISECONDS)) {
                        break;
                    }
                    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
                }
            }
            state = ProcessorState.STOPPED;
        } catch (InterruptedException e) {
            state = ProcessorState.STOPPED;
        } catch (Throwable t) {
            LOG.error("checkpoint watcher on {} failed", topic, t);
            state = ProcessorState.FAILED;
        }
    }

    /** One session: assign every partition, read from the beginning, act on each poll. */
    private void follow() {
        Properties props = kafka.readCommittedConsumer("unused");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG); // assign(): no group, nothing committed
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            if (closing) {
                return;
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions); // read_committed: the last stable offsets
            latest.clear();
            state = ProcessorState.RUNNING;
            LOG.info("following {} ({} partitions) from the beginning; serving {}", topic, partitions.size(),
                    policies.currentVersion());
            boolean reachedEnd = false; // per session: a restarted session decides on a complete view only
            while (!closing) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
                    apply(r);
                }
                if (!reachedEnd && !reached(c, end)) {
                    continue;
                }
                reachedEnd = true;
                promoteNewest();
                caughtUp.countDown();
            }
        } finally {
            consumer = null;
        }
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        String key = r.key() == null ? null : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
        if (r.value() == null) { // compaction tombstone: the version is gone
            if (key != null) {
                latest.remove(key);
            }
            return;
        }
        Decoded<Checkpoint> decoded = serde.tryDecode(r.topic(), r.value());
        if (decoded instanceof Decoded.Failed<Checkpoint> bad) {
            LOG.warn("ignoring undecodable checkpoint record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                    bad.error().getMessage());
            return;
        }
        Checkpoint checkpoint = decoded.orThrow();
        latest.put(checkpoint.getVersion(), checkpoint);
        PolicyVersion serving = policies.currentVersion();
        if (serving != null && serving.name().equals(checkpoint.getVersion())
                && checkpoint.getStatus() != CheckpointStatus.PROMOTED) {
            // Rolling back is a decision for whoever demoted it (promote the replacement).
            LOG.warn("serving policy {} is now {}; it keeps serving until a newer version is PROMOTED",
                    checkpoint.getVersion(), checkpoint.getStatus());
        }
    }

    /** Loads the newest PROMOTED version newer than the serving one that loads at all. */
    private void promoteNewest() {
        PolicyVersion serving = policies.currentVersion();
        List<Checkpoint> promoted = new ArrayList<>();
        for (Checkpoint c : latest.values()) {
            if (c.getStatus() == CheckpointStatus.PROMOTED && PolicyVersion.of(c).isNewerThan(serving)
                    && !failed.contains(identity(c))) {
                promoted.add(c);
            }
        }
        promoted.sort((a, b) -> PolicyVersion.ORDER.compare(PolicyVersion.of(b), PolicyVersion.of(a)));
        for (Checkpoint c : promoted) {
            if (closing) {
                return;
            }
            PolicyVersion version = PolicyVersion.of(c);
            try {
                policies.swapTo(version, resolver.resolve(new CheckpointLocator.Published(c.getVersion(), c.getUri(), c.getSha256())));
                return;
            } catch (RuntimeException e) {
                failed.add(identity(c));
                LOG.error("PROMOTED checkpoint {} ({}) not loaded, {} keeps serving: {}", version, c.getUri(),
                        policies.currentVersion(), e.getMessage(), e);
                listener.onLoadFailed(version, e);
            }
        }
    }

    /** A new record for the same version (say, re-published after a fix) is tried again. */
    private static String identity(Checkpoint c) {
        return c.getVersion() + "|" + c.getUri() + "|" + c.getSha256() + "|" + c.getCreatedAt().toEpochMilli();
    }

    /** Stops the thread (an in-progress load finishes first). */
    @Override
    public void close() {
        closing = true;
        stopped.countDown();
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        state = ProcessorState.STOPPED;
    }
}
