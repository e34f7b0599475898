package dev.alignloop.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.TopicSpec;
import dev.alignloop.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Test helpers: a private copy of the six AlignLoop topics behind a unique prefix (tests share
 * one broker per JVM), a producer of Avro records and raw bytes, a monitor started on them with
 * fast polling, and HTTP/JSON access to it.
 */
final class MonitorFixture implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final KafkaTestCluster kafka;
  final String prefix;
  private final KafkaProducer<String, byte[]> producer;
  private MonitorServer monitor;

  /** A fixture on fresh topics of its own. */
  MonitorFixture(KafkaTestCluster kafka) {
    this(kafka, KafkaTestCluster.uniqueId("mon") + ".");
  }

  /**
   * A fixture on {@code prefix + Topics.X}; with {@code ""} the real topic names, which only
   * one test per JVM may use (the browser test, for a screenshot with real names).
   */
  MonitorFixture(KafkaTestCluster kafka, String prefix) {
    this.kafka = kafka;
    this.prefix = prefix;
    kafka.broker().createTopics(Topics.all().stream()
        .map(t -> new TopicSpec(prefix + t.name(), t.partitions(), t.replicationFactor(), t.configs())).toList());
    this.producer = new KafkaProducer<>(kafka.producerProps(), new StringSerializer(), new ByteArraySerializer());
  }

  /** The prefixed name of an AlignLoop topic, e.g. {@code topic(Topics.PAIRS)}. */
  String topic(String baseName) {
    return prefix + baseName;
  }

  /** Sends an Avro record to the prefixed topic its type belongs to and waits for the ack. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  void send(String baseName, String key, SpecificRecord value) {
    byte[] bytes = ((AvroSerde) AvroSerde.of(value.getClass())).encode(topic(baseName), value);
    sendRaw(baseName, key, bytes);
  }

  /** Sends raw bytes (e.g. a poison value). */
  void sendRaw(String baseName, String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic(baseName), key, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException("send to " + topic(baseName) + " failed", e);
    }
  }

  /** Starts the monitor on the prefixed topics with fast lag polling. */
  MonitorServer start(Map<String, Object> extra) {
    Map<String, Object> props = new HashMap<>();
    props.put(MonitorServer.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    props.put("alignloop.monitor.topic-prefix", prefix);
    props.put("alignloop.monitor.lag-interval", "300ms");
    props.put("alignloop.monitor.refresh-interval", "1s");
    props.put("alignloop.monitor.stream-interval", "500ms");
    props.putAll(extra);
    monitor = MonitorServer.start(props);
    return monitor;
  }

  MonitorServer monitor() {
    return monitor;
  }

  /** GET a path of the running monitor, expecting 200. */
  String get(String path) {
    HttpResponse<String> r = request(path);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + " -> " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /** GET a path of the running monitor, whatever the status. */
  HttpResponse<String> request(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(monitor.url().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** GET bytes from an absolute or relative URL of the monitor. */
  HttpResponse<byte[]> bytes(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(monitor.url().resolve(URI.create(path))).build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** GET a path as JSON. */
  JsonNode json(String path) {
    try {
      return JSON.readTree(get(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The row of {@code /api/topics} for an AlignLoop topic. */
  JsonNode topicRow(String baseName) {
    for (JsonNode row : json("/api/topics").get("topics")) {
      if (row.get("topic").asText().equals(topic(baseName))) {
        return row;
      }
    }
    throw new AssertionError("no row for " + topic(baseName));
  }

  /** The value of one Prometheus sample, e.g. {@code alignloop_dlq_total{reason="BAD_MARKER"}}; NaN if absent. */
  double prometheus(String name, Map<String, String> labels) {
    for (String line : get("/prometheus").split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        boolean all = labels.entrySet().stream().allMatch(e -> line.contains(e.getKey() + "=\"" + e.getValue() + "\""));
        if (all) {
          return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return Double.NaN;
  }

  static List<String> names(JsonNode array, String field) {
    return StreamSupport.stream(array.spliterator(), false).map(n -> n.get(field).asText()).toList();
  }

  @Override
  public void close() {
    if (monitor != null) {
      monitor.close();
    }
    producer.close(Duration.ofSeconds(5));
  }
}
