package dev.alignloop.gate;

import dev.alignloop.common.kafka.KafkaSettings;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.Decoded;
import dev.alignloop.schemas.avro.EvalResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the gate's own past verdicts back from {@code alignloop.evals} (read_committed, no
 * consumer group) to find the incumbent after a restart: the last PROMOTED result in offset order.
 */
final class EvalHistory {
    private static final Logger LOG = LoggerFactory.getLogger(EvalHistory.class);
    private static final AvroSerde<EvalResult> RESULTS = AvroSerde.of(EvalResult.class);

    private EvalHistory() {
    }

    /**
     * @throws IllegalStateException when the topic cannot be read to its end within {@code timeout}
     */
    static Optional<Incumbent> lastPromoted(KafkaSettings kafka, String topic, Duration timeout) {
        // read_committed and no auto-commit; no group: assign + seek, nothing is committed.
        Properties props = kafka.readCommittedConsumer("unused");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Optional<Incumbent> last = Optional.empty();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end " + end + " within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    Decoded<EvalResult> d = RESULTS.safeDeserializer().deserialize(r.topic(), r.value());
                    if (d instanceof Decoded.Failed<EvalResult> f) {
                        LOG.warn("{}-{}@{}: skipping an undecodable eval result: {}", r.topic(), r.partition(), r.offset(),
                                f.error().getMessage());
                        continue;
                    }
                    Optional<Incumbent> i = Incumbent.of(d.orThrow());
                    if (i.isPresent()) {
                        last = i;
                    }
                }
            }
        }
        return last;
    }
}
