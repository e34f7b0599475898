package dev.alignloop.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.TopicSpec;
import dev.alignloop.schemas.Topics;
import dev.alignloop.schemas.avro.PromptRequest;
import dev.alignloop.schemas.testing.Samples;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI path end to end: BrokerMain on a fixed port prints its bootstrap line, and plain
 * kafka-clients that know only that line produce and consume through a consumer group.
 */
class BrokerMainTest {

  @Test
  void externalClientsUseThePrintedBootstrapAddress(@TempDir Path dataDir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
    CountDownLatch stop = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread main = new Thread(() -> {
      try {
        BrokerMain.run(new BrokerOptions(dataDir, port, "127.0.0.1", Map.of()), out, stop);
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "broker-main");
    main.start();

    await().atMost(Duration.ofSeconds(60)).until(() -> failure.get() != null
        || stdout.toString(StandardCharsets.UTF_8).contains(BrokerMain.BOOTSTRAP_LINE_PREFIX));
    assertEquals(null, failure.get());
    String bootstrap = stdout.toString(StandardCharsets.UTF_8).lines()
        .filter(l -> l.startsWith(BrokerMain.BOOTSTRAP_LINE_PREFIX)).findFirst().orElseThrow()
        .substring(BrokerMain.BOOTSTRAP_LINE_PREFIX.length());
    assertEquals("127.0.0.1:" + port, bootstrap);

    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Set<String> names = admin.listTopics().names().get();
      assertTrue(names.containsAll(Topics.all().stream().map(TopicSpec::name).toList()), names.toString());
      var checkpoints = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CHECKPOINTS);
      assertEquals("compact", admin.describeConfigs(List.of(checkpoints)).all().get()
          .get(checkpoints).get("cleanup.policy").value());
    }

    AvroSerde<PromptRequest> serde = AvroSerde.of(PromptRequest.class);
    try (KafkaProducer<String, PromptRequest> producer = new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), serde.serializer())) {
      for (int i = 0; i < 3; i++) {
        producer.send(new ProducerRecord<>(Topics.PROMPTS, "p-" + i, Samples.prompt("p-" + i)));
      }
    }
    List<String> ids = new ArrayList<>();
    try (KafkaConsumer<String, PromptRequest> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "external-test",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), serde.deserializer())) {
      consumer.subscribe(List.of(Topics.PROMPTS));
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ZERO).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> ids.add(r.value().getId()));
        return ids.size() >= 3;
      });
      consumer.commitSync();
    }
    assertEquals(Set.of("p-0", "p-1", "p-2"), Set.copyOf(ids));

    stop.countDown();
    main.join(Duration.ofSeconds(60).toMillis());
    assertEquals(false, main.isAlive(), "broker did not shut down");
    // Clean shutdown released the port.
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", port));
    }
  }
}
