package dev.alignloop.common.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.common.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSettingsTest {

  @TempDir Path tmp;

  static Map<String, String> sasl() {
    Map<String, String> m = new HashMap<>();
    m.put("alignloop.kafka.bootstrap.servers", "kafka-0:9093,kafka-1:9093");
    m.put("ALIGNLOOP_KAFKA_SECURITY_PROTOCOL", "sasl_plaintext");
    m.put("alignloop.kafka.sasl.username", "scorer");
    m.put("alignloop.kafka.sasl.password", "pa\"ss");
    m.put("alignloop.kafka.client.id.prefix", "scorer");
    return m;
  }

  static void assertMessageNames(Exception e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should name " + p);
    }
  }

  @Test
  void defaultsArePlaintextToLocalhost() {
    KafkaSettings s = KafkaSettings.from(Map.of());
    assertEquals("localhost:9092", s.bootstrapServers());
    assertEquals(SecurityProtocol.PLAINTEXT, s.securityProtocol());
    assertNull(s.saslMechanism());
    assertEquals("alignloop", s.clientIdPrefix());
  }

  @Test
  void readCommittedConsumerProperties() {
    Properties p = KafkaSettings.plaintext("127.0.0.1:9092", "trainer").readCommittedConsumer("trainer");
    assertEquals("read_committed", p.get("isolation.level"));
    assertEquals("false", p.get("enable.auto.commit"));
    assertEquals("earliest", p.get("auto.offset.reset"));
    assertEquals("trainer", p.get("group.id"));
    assertTrue(((String) p.get("client.id")).startsWith("trainer-consumer-trainer-"));
    assertEquals("PLAINTEXT", p.get("security.protocol"));
  }

  @Test
  void transactionalProducerIsIdempotentWithAllAcks() {
    Properties p = KafkaSettings.plaintext("127.0.0.1:9092", "scorer").transactionalProducer("scorer-0");
    assertEquals("scorer-0", p.get("transactional.id"));
    assertEquals("all", p.get("acks"));
    assertEquals("true", p.get("enable.idempotence"));
    assertEquals("scorer-tx-scorer-0", p.get("client.id"));
    assertThrows(IllegalArgumentException.class, () -> KafkaSettings.plaintext("h:1", "x").transactionalProducer(" "));
  }

  @Test
  void saslScramDefaultsToSha512AndEscapesTheJaasPassword() {
    KafkaSettings s = KafkaSettings.from(sasl());
    assertEquals(SaslMechanism.SCRAM_SHA_512, s.saslMechanism());
    Properties p = s.producer();
    assertEquals("SASL_PLAINTEXT", p.get("security.protocol"));
    assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
    assertEquals(
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"scorer\" password=\"pa\\\"ss\";",
        p.get("sasl.jaas.config"));
    assertFalse(s.toString().contains("pa\"ss"), s.toString());
  }

  @Test
  void realClientsAcceptTheProperties() {
    // Constructing the clients runs Kafka's own config validation (and the SASL login) without a
    // broker; nothing connects until first use.
    Map<String, String> local = sasl();
    local.put("alignloop.kafka.bootstrap.servers", "127.0.0.1:9"); // clients resolve names eagerly
    for (KafkaSettings s : new KafkaSettings[] {KafkaSettings.plaintext("127.0.0.1:9", "t"), KafkaSettings.from(local)}) {
      new KafkaProducer<>(s.transactionalProducer("t-0"), new ByteArraySerializer(), new ByteArraySerializer())
          .close(Duration.ZERO);
      new KafkaProducer<>(s.producer(), new ByteArraySerializer(), new ByteArraySerializer()).close(Duration.ZERO);
      new KafkaConsumer<>(s.readCommittedConsumer("g"), new ByteArrayDeserializer(), new ByteArrayDeserializer())
          .close(Duration.ZERO);
      Admin.create(s.admin()).close(Duration.ZERO);
    }
  }

  @Test
  void sslTrustStoreTypeFollowsTheFileExtension() throws Exception {
    Path p12 = Files.write(tmp.resolve("ca.p12"), new byte[] {1});
    Path pem = Files.writeString(tmp.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----");
    Properties p =
        new KafkaSettings("k:9093", SecurityProtocol.SSL, null, null, null, p12, "pw", "x").admin();
    assertEquals("PKCS12", p.get("ssl.truststore.type"));
    assertEquals(p12.toAbsolutePath().toString(), p.get("ssl.truststore.location"));
    assertEquals("pw", p.get("ssl.truststore.password"));
    assertEquals("PEM",
        new KafkaSettings("k:9093", SecurityProtocol.SASL_SSL, SaslMechanism.SCRAM_SHA_512, "u", "p", pem, null, "x")
            .admin().get("ssl.truststore.type"));
    assertEquals("JKS", KafkaSettings.truststoreType(Path.of("truststore.jks")));

    ConfigException e = assertThrows(ConfigException.class,
        () -> new KafkaSettings("k:9093", SecurityProtocol.SSL, null, null, null, pem, "pw", "x"));
    assertMessageNames(e, "alignloop.kafka.ssl.truststore.password", "alignloop.kafka.ssl.truststore.path");
    assertFalse(e.getMessage().contains("pw"), e.getMessage());
  }

  @Test
  void validationNamesTheKeysAtFault() {
    assertMessageNames(
        assertThrows(ConfigException.class, () -> KafkaSettings.plaintext("kafka", "x")),
        "alignloop.kafka.bootstrap.servers", "kafka");
    assertMessageNames(
        assertThrows(ConfigException.class, () -> KafkaSettings.plaintext("a:1, b:99999", "x")),
        "alignloop.kafka.bootstrap.servers", "b:99999");
    Map<String, String> noPassword = sasl();
    noPassword.remove("alignloop.kafka.sasl.password");
    assertMessageNames(
        assertThrows(ConfigException.class, () -> KafkaSettings.from(noPassword)),
        "alignloop.kafka.sasl.password", "SASL_PLAINTEXT");
    Map<String, String> plainWithUser = sasl();
    plainWithUser.put("ALIGNLOOP_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT");
    assertMessageNames(
        assertThrows(ConfigException.class, () -> KafkaSettings.from(plainWithUser)),
        "alignloop.kafka.sasl.username", "alignloop.kafka.security.protocol");
    assertMessageNames(
        assertThrows(ConfigException.class,
            () -> KafkaSettings.from(Map.of("alignloop.kafka.security.protocol", "TLS"))),
        "alignloop.kafka.security.protocol", "TLS");
    assertMessageNames(
        assertThrows(ConfigException.class,
            () -> new KafkaSettings("k:1", SecurityProtocol.SSL, null, null, null, tmp.resolve("missing.p12"), null, "x")),
        "alignloop.kafka.ssl.truststore.path", "missing.p12");
    assertMessageNames(
        assertThrows(ConfigException.class,
            () -> new KafkaSettings("k:1", SecurityProtocol.PLAINTEXT, null, null, null, null, "pw", "x")),
        "alignloop.kafka.ssl.truststore.password", "alignloop.kafka.ssl.truststore.path");
    assertMessageNames(
        assertThrows(ConfigException.class, () -> KafkaSettings.plaintext("k:1", "bad id")),
        "alignloop.kafka.client.id.prefix");
    assertMessageNames(
        assertThrows(ConfigException.class,
            () -> KafkaSettings.from(Map.of("alignloop.kafka.security.protocol", "SASL_SSL",
                "alignloop.kafka.sasl.mechanism", "GSSAPI"))),
        "alignloop.kafka.sasl.mechanism", "GSSAPI");
  }

  @Test
  void ipv6BootstrapAddressesAreAccepted() {
    assertEquals("[::1]:9092", KafkaSettings.plaintext("[::1]:9092", "x").bootstrapServers());
  }
}
