package dev.alignloop.generator;

import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.common.blob.BlobStore;
import dev.alignloop.common.blob.BlobStoreOptions;
import dev.alignloop.common.blob.BlobStores;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.DeadLetter;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PromptRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One generator world per test on the shared embedded broker: its own topics, group and
 * transactional id, a file blob store, a checkpoint root and a tiny random base model in a temp
 * directory; the generator runs in-process ({@link GeneratorServer}).
 */
final class GeneratorFixture implements AutoCloseable {
    static final AvroSerde<PromptRequest> PROMPTS = AvroSerde.of(PromptRequest.class);
    static final AvroSerde<ImagePair> PAIRS = AvroSerde.of(ImagePair.class);
    static final AvroSerde<Checkpoint> CHECKPOINTS = AvroSerde.of(Checkpoint.class);
    static final AvroSerde<DeadLetter> DEAD_LETTERS = AvroSerde.of(DeadLetter.class);
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    final KafkaTestCluster kafka;
    final Path dir;
    final Path model;
    final Path checkpoints;
    final BlobStore blobs;
    final String promptsTopic;
    final String pairsTopic;
    final String checkpointsTopic;
    final String dlqTopic;
    private final KafkaProducer<String, byte[]> producer;
    private GeneratorServer server;

    GeneratorFixture(KafkaTestCluster kafka, Path dir) {
        this.kafka = kafka;
        this.dir = dir;
        this.model = TestModels.baseModel(dir.resolve("base"), 3);
        this.checkpoints = dir.resolve("checkpoints");
        this.blobs = BlobStores.open(dir.resolve("blobs").toUri().toString(), BlobStoreOptions.defaults());
        this.promptsTopic = kafka.newTopic("prompts", 3);
        this.pairsTopic = kafka.newTopic("pairs", 3);
        this.checkpointsTopic = kafka.newTopic("checkpoints");
        this.dlqTopic = kafka.newTopic("dlq");
        this.producer = new KafkaProducer<>(kafka.producerProps(), new StringSerializer(), new ByteArraySerializer());
    }

    /** Starts the generator on this world; {@code extra} properties win. Returns once it consumes. */
    GeneratorServer start(Map<String, Object> extra) {
        Map<String, Object> p = new HashMap<>();
        p.put(GeneratorServer.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        p.put("alignloop.kafka.client.id.prefix", "generator-test");
        p.put("alignloop.blob.uri", dir.resolve("blobs").toUri().toString());
        p.put(GeneratorServer.MODEL_DIR, model.toString());
        p.put("alignloop.generator.steps", TestModels.STEPS);
        p.put("alignloop.generator.batch-size", 4);
        p.put("alignloop.generator.group-id", KafkaTestCluster.uniqueId("generator"));
        p.put("alignloop.generator.instance-id", KafkaTestCluster.uniqueId("i"));
        p.put("alignloop.generator.checkpoint-dir", checkpoints.toString());
        p.put("alignloop.generator.checkpoint-catch-up-timeout", "30s");
        p.put("alignloop.generator.input-topic", promptsTopic);
        p.put("alignloop.generator.output-topic", pairsTopic);
        p.put("alignloop.generator.checkpoints-topic", checkpointsTopic);
        p.put("alignloop.generator.dead-letter-topic", dlqTopic);
        p.putAll(extra);
        server = GeneratorServer.start(p);
        return server;
    }

    /** Produces prompt requests keyed by id, and waits for the acks. */
    void send(PromptRequest... requests) {
        for (PromptRequest r : requests) {
            produce(promptsTopic, r.getId(), PROMPTS.encode(promptsTopic, r));
        }
    }

    /** Publishes checkpoint records keyed by version, as the trainer and the eval gate do. */
    void publish(Checkpoint... records) {
        for (Checkpoint c : records) {
            produce(checkpointsTopic, c.getVersion(), CHECKPOINTS.encode(checkpointsTopic, c));
        }
    }

    /** Produces any bytes (or a null value) to the prompts topic, and waits for the ack. */
    void sendRaw(String key, byte[] value) {
        produce(promptsTopic, key, value);
    }

    private void produce(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new AssertionError("produce to " + topic + " failed", e);
        }
    }

    /** Waits for {@code n} committed pairs (read_committed, from the beginning) and returns them. */
    List<ImagePair> pairs(int n) {
        return kafka.readAll(pairsTopic, new StringDeserializer(), PAIRS.deserializer(), n, TIMEOUT).stream()
                .map(ConsumerRecord::value).toList();
    }

    /** Waits for {@code n} committed dead letters and returns them. */
    List<DeadLetter> deadLetters(int n) {
        return kafka.readAll(dlqTopic, new StringDeserializer(), DEAD_LETTERS.deserializer(), n, TIMEOUT).stream()
                .map(ConsumerRecord::value).toList();
    }

    /** A bean of the running generator. */
    <T> T bean(Class<T> type) {
        return server.context().getBean(type);
    }

    /** GET a path of the running generator's HTTP server. */
    String get(String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.url() + path.replaceFirst("^/", ""))).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        producer.close(Duration.ofSeconds(5));
        blobs.close();
    }
}
