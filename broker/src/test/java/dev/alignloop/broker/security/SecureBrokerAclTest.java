package dev.alignloop.broker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.broker.BrokerException;
import dev.alignloop.broker.BrokerOptions;
import dev.alignloop.broker.EmbeddedKafkaBroker;
import dev.alignloop.common.kafka.KafkaSettings;
import dev.alignloop.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secured embedded broker ({@code alignloop broker --secure}) enforces {@link ServiceAcls}:
 * a service connecting with the same {@code alignloop.kafka.*} settings it uses in a pod can
 * write its own topics, in transactions with its own transactional-id prefix, and nothing else.
 */
class SecureBrokerAclTest {

  @TempDir static Path dataDir;
  private static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void start() {
    broker = EmbeddedKafkaBroker.start(new BrokerOptions(dataDir, 0, "127.0.0.1", Map.of(), true));
    broker.createTopics(Topics.all());
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  /** What a service pod's environment holds (ALIGNLOOP_KAFKA_*), for user {@code user}. */
  private static KafkaSettings serviceSettings(String user, String password) {
    return KafkaSettings.from(Map.of(
        "alignloop.kafka.bootstrap.servers", broker.bootstrapServers(),
        "alignloop.kafka.security.protocol", "SASL_PLAINTEXT",
        "alignloop.kafka.sasl.mechanism", "SCRAM-SHA-512",
        "alignloop.kafka.sasl.username", user,
        "alignloop.kafka.sasl.password", password,
        "alignloop.kafka.client.id.prefix", user));
  }

  private static KafkaSettings serviceSettings(String user) {
    return serviceSettings(user, broker.credentials().orElseThrow().password(user));
  }

  private static KafkaProducer<String, String> producer(Properties props) {
    props.put("max.block.ms", "15000");
    props.put("delivery.timeout.ms", "15000");
    props.put("request.timeout.ms", "10000");
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  /** The exception a send ends with, whether thrown by send() or by its future. */
  private static Throwable sendFailure(KafkaProducer<String, String> producer, String topic) {
    try {
      producer.send(new ProducerRecord<>(topic, "k", "v")).get();
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("send to " + topic + " succeeded");
  }

  @Test
  void scorerWritesLabelsButNotCheckpoints() throws Exception {
    try (var producer = producer(serviceSettings(ServiceAcls.SCORER).producer())) {
      var written = producer.send(new ProducerRecord<>(Topics.PREFERENCES, "pair-1", "label")).get();
      assertEquals(Topics.PREFERENCES, written.topic());
    }
    try (var producer = producer(serviceSettings(ServiceAcls.SCORER).producer())) {
      Throwable failure = sendFailure(producer, Topics.CHECKPOINTS);
      var denied = assertInstanceOf(TopicAuthorizationException.class, failure, String.valueOf(failure));
      assertEquals(Set.of(Topics.CHECKPOINTS), denied.unauthorizedTopics());
    }
  }

  @Test
  void scorerTransactionsWorkOnlyWithItsOwnTransactionalIdPrefix() throws Exception {
    KafkaSettings scorer = serviceSettings(ServiceAcls.SCORER);
    try (var producer = producer(scorer.transactionalProducer(ServiceAcls.SCORER + "-scorer-0"))) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(Topics.PREFERENCES, "pair-tx", "committed")).get();
      producer.commitTransaction();
    }
    // The committed label is visible to a read_committed reader with the trainer's rights.
    try (var consumer = new KafkaConsumer<>(serviceSettings(ServiceAcls.TRAINER).readCommittedConsumer(
        ServiceAcls.TRAINER), new StringDeserializer(), new StringDeserializer())) {
      var partitions = consumer.partitionsFor(Topics.PREFERENCES).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Set<String> values = new HashSet<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!values.contains("committed") && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          values.add(r.value());
        }
      }
      assertTrue(values.contains("committed"), "read_committed trainer saw " + values);
    }
    // The generator's prefix is not the scorer's: fenced off at initTransactions.
    try (var producer = producer(scorer.transactionalProducer(ServiceAcls.GENERATOR + "-generator-0"))) {
      var e = assertThrows(TransactionalIdAuthorizationException.class, producer::initTransactions);
      assertTrue(e.getMessage() != null, "message");
    }
  }

  @Test
  void servicesCannotUseAnotherServicesGroupOrReadTopicsTheyDoNotConsume() {
    try (var consumer = new KafkaConsumer<>(serviceSettings(ServiceAcls.SCORER).readCommittedConsumer(
        ServiceAcls.GENERATOR), new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(Topics.PAIRS));
      assertThrows(GroupAuthorizationException.class, () -> consumer.poll(Duration.ofSeconds(10)));
    }
    try (var consumer = new KafkaConsumer<>(serviceSettings(ServiceAcls.PROMPTS).readCommittedConsumer(
        "alignloop-prompts-reader"), new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(new TopicPartition(Topics.DLQ, 0)));
      var e = assertThrows(TopicAuthorizationException.class, () -> consumer.poll(Duration.ofSeconds(10)));
      assertEquals(Set.of(Topics.DLQ), e.unauthorizedTopics());
    }
  }

  @Test
  void wrongPasswordIsRejected() {
    try (var producer = producer(serviceSettings(ServiceAcls.SCORER, "not-the-password").producer())) {
      Throwable failure = sendFailure(producer, Topics.PREFERENCES);
      assertInstanceOf(SaslAuthenticationException.class, failure, String.valueOf(failure));
    }
  }

  @Test
  void brokerHoldsExactlyTheServiceAclsAndKeepsPasswordsPrivate() throws Exception {
    Set<AclBinding> expected = new HashSet<>();
    ServiceAcls.all().forEach(p -> expected.addAll(p.bindings()));
    try (var admin = broker.admin()) {
      Set<AclBinding> actual = new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values().get());
      assertEquals(expected, actual);
    }
    BrokerCredentials credentials = broker.credentials().orElseThrow();
    Set<String> users = new HashSet<>(credentials.users());
    assertTrue(users.remove(BrokerCredentials.ADMIN), "admin user");
    Set<String> principals = new HashSet<>();
    ServiceAcls.all().forEach(p -> principals.add(p.name()));
    assertEquals(principals, users);
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(credentials.file());
    assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), perms);
  }

  @Test
  void aDataDirKeepsItsSecurityMode(@TempDir Path otherDir) {
    // The running secure broker's dir, started plain (on another dir: the lock would fail first).
    Map<String, String> none = new HashMap<>();
    var plain = EmbeddedKafkaBroker.start(new BrokerOptions(otherDir, 0, "127.0.0.1", none, false));
    plain.close();
    var e = assertThrows(BrokerException.class,
        () -> EmbeddedKafkaBroker.start(new BrokerOptions(otherDir, 0, "127.0.0.1", none, true)));
    assertTrue(e.getMessage().contains("formatted without security") && e.getMessage().contains(otherDir.toString()),
        e.getMessage());
    assertFalse(Files.exists(BrokerCredentials.file(otherDir)), "no credentials written for a plain dir");
  }
}
