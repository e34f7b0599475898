package dev.alignloop.cli.demo;

import dev.alignloop.common.kafka.KafkaSettings;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.Decoded;
import dev.alignloop.schemas.Topics;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.CheckpointStatus;
import dev.alignloop.schemas.avro.EvalResult;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PreferenceLabel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Watches the loop's topics the way a user would: read_committed, from the beginning, with no
 * consumer group (so it never disturbs the services). Counts distinct pair ids and labels, keeps
 * the latest status of every checkpoint and every eval result; the demo's progress and summary
 * come from here, not from the services' say-so.
 */
final class LoopObserver implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final Set<String> pairIds = new HashSet<>();
    private final Set<String> labelIds = new HashSet<>();
    private int duplicateLabels;
    private int deadLetters;
    private final Map<String, Checkpoint> checkpoints = new LinkedHashMap<>();
    private final List<EvalResult> evals = new ArrayList<>();
    private final Map<String, String> pairPolicy = new LinkedHashMap<>();
    private volatile boolean running = true;
    /** Offset of the last data record seen per partition (markers are never returned by poll). */
    private final Map<TopicPartition, Long> lastData = new java.util.concurrent.ConcurrentHashMap<>();
    /** This consumer's position per partition after each poll. */
    private final Map<TopicPartition, Long> positions = new java.util.concurrent.ConcurrentHashMap<>();

    LoopObserver(KafkaSettings kafka) {
        Properties p = kafka.readCommittedConsumer("unused");
        p.remove("group.id");
        p.put("client.id", "alignloop-demo-observer");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : List.of(Topics.PROMPTS, Topics.PAIRS, Topics.PREFERENCES, Topics.CHECKPOINTS, Topics.EVALS, Topics.DLQ)) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(pi -> parts.add(new TopicPartition(pi.topic(), pi.partition())));
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        thread = new Thread(this::loop, "demo-observer");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        var pairs = AvroSerde.of(ImagePair.class).safeDeserializer();
        var labels = AvroSerde.of(PreferenceLabel.class).safeDeserializer();
        var ckpts = AvroSerde.of(Checkpoint.class).safeDeserializer();
        var evalSerde = AvroSerde.of(EvalResult.class).safeDeserializer();
        try {
            while (running) {
                var polled = consumer.poll(Duration.ofMillis(500));
                for (TopicPartition tp : consumer.assignment()) {
                    positions.put(tp, consumer.position(tp));
                }
                for (ConsumerRecord<String, byte[]> r : polled) {
                    lastData.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::max);
                    synchronized (this) {
                        switch (r.topic()) {
                            case Topics.PAIRS -> ok(pairs.deserialize(r.topic(), r.value())).ifPresent(v -> {
                                pairIds.add(v.getPairId());
                                pairPolicy.put(v.getPairId(), v.getPolicyVersion());
                            });
                            case Topics.PREFERENCES -> ok(labels.deserialize(r.topic(), r.value())).ifPresent(v -> {
                                if (!labelIds.add(v.getPairId())) {
                                    duplicateLabels++;
                                }
                            });
                            case Topics.CHECKPOINTS -> ok(ckpts.deserialize(r.topic(), r.value()))
                                    .ifPresent(v -> checkpoints.put(v.getVersion(), v));
                            case Topics.EVALS -> ok(evalSerde.deserialize(r.topic(), r.value())).ifPresent(evals::add);
                            case Topics.DLQ -> deadLetters++;
                            default -> { }
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        }
    }

    private static <T> java.util.Optional<T> ok(Decoded<T> d) {
        return d instanceof Decoded.Ok<T> o ? java.util.Optional.of(o.value()) : java.util.Optional.empty();
    }

    /** Last data-record offset per partition of {@code topic} seen so far. */
    Map<TopicPartition, Long> lastDataOffsets(String topic) {
        Map<TopicPartition, Long> out = new java.util.HashMap<>();
        lastData.forEach((tp, o) -> {
            if (tp.topic().equals(topic)) {
                out.put(tp, o);
            }
        });
        return out;
    }

    /** Whether this observer has read {@code topic} up to its read_committed end. */
    boolean reachedEnd(org.apache.kafka.clients.admin.Admin admin, String topic) {
        try {
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> specs = new java.util.HashMap<>();
            positions.keySet().stream().filter(tp -> tp.topic().equals(topic))
                    .forEach(tp -> specs.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
            if (specs.isEmpty()) {
                return false;
            }
            var ends = admin.listOffsets(specs, new org.apache.kafka.clients.admin.ListOffsetsOptions(
                    org.apache.kafka.common.IsolationLevel.READ_COMMITTED)).all().get();
            return ends.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue().offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /** An immutable view of what the topics hold right now. */
    synchronized Snapshot snapshot() {
        List<Checkpoint> ckpts = new ArrayList<>(checkpoints.values());
        return new Snapshot(pairIds.size(), labelIds.size(), duplicateLabels, deadLetters, ckpts, List.copyOf(evals),
                new LinkedHashMap<>(pairPolicy));
    }

    record Snapshot(int pairs, int labels, int duplicateLabels, int deadLetters, List<Checkpoint> checkpoints,
                    List<EvalResult> evals, Map<String, String> pairPolicy) {
        long promoted() {
            return checkpoints.stream().filter(c -> c.getStatus() == CheckpointStatus.PROMOTED).count();
        }

        /** The PROMOTED checkpoint with the highest step: what the generator serves. */
        java.util.Optional<String> latestPromoted() {
            return checkpoints.stream().filter(c -> c.getStatus() == CheckpointStatus.PROMOTED)
                    .max(java.util.Comparator.comparingLong(Checkpoint::getStep)).map(Checkpoint::getVersion);
        }

        java.util.Optional<Checkpoint> latestCheckpoint() {
            return checkpoints.stream().max(java.util.Comparator.comparingLong(Checkpoint::getStep));
        }

        java.util.Optional<EvalResult> evalOf(String version) {
            return evals.stream().filter(e -> e.getCheckpointVersion().equals(version)).reduce((a, b) -> b);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(2));
    }
}
