package dev.alignloop.common.kafka;

import static dev.alignloop.common.kafka.KafkaConfigKeys.BOOTSTRAP_SERVERS;
import static dev.alignloop.common.kafka.KafkaConfigKeys.CLIENT_ID_PREFIX;
import static dev.alignloop.common.kafka.KafkaConfigKeys.SASL_MECHANISM;
import static dev.alignloop.common.kafka.KafkaConfigKeys.SASL_PASSWORD;
import static dev.alignloop.common.kafka.KafkaConfigKeys.SASL_USERNAME;
import static dev.alignloop.common.kafka.KafkaConfigKeys.SECURITY_PROTOCOL;
import static dev.alignloop.common.kafka.KafkaConfigKeys.SSL_TRUSTSTORE_PASSWORD;
import static dev.alignloop.common.kafka.KafkaConfigKeys.SSL_TRUSTSTORE_PATH;

import dev.alignloop.common.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * How every AlignLoop service connects to Kafka, validated at construction (messages name the
 * {@link KafkaConfigKeys} key at fault; conflicting settings name both keys). Builds the client
 * {@link Properties}; serializers are left to the caller, who passes serde instances to the
 * client constructor.
 *
 * <p>{@link #toString()} masks passwords.
 *
 * @param bootstrapServers comma-separated {@code host:port} list
 * @param securityProtocol transport security
 * @param saslMechanism SASL mechanism; null unless the protocol is SASL_* (defaults to
 *     SCRAM-SHA-512 there)
 * @param username SASL user; required for SASL_* protocols, forbidden otherwise
 * @param password SASL password; required for SASL_* protocols, forbidden otherwise
 * @param truststorePath trust store for SSL/SASL_SSL, or null for the JVM default
 * @param truststorePassword its password, or null
 * @param clientIdPrefix prefix of every {@code client.id}
 */
public record KafkaSettings(
    String bootstrapServers,
    SecurityProtocol securityProtocol,
    SaslMechanism saslMechanism,
    String username,
    String password,
    Path truststorePath,
    String truststorePassword,
    String clientIdPrefix) {

  private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[^\\s:,\\[\\]]+):(\\d{1,5})");
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]+");
  // Distinguishes clients of one process in client.id (and so in JMX and broker logs).
  private static final AtomicInteger CLIENT_SEQUENCE = new AtomicInteger();

  /** Validates and normalizes; see the class doc. */
  public KafkaSettings {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new ConfigException(BOOTSTRAP_SERVERS, null, "is required");
    }
    bootstrapServers = bootstrapServers.strip();
    for (String entry : bootstrapServers.split(",")) {
      var m = HOST_PORT.matcher(entry.strip());
      if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535) {
        throw new ConfigException(
            BOOTSTRAP_SERVERS, bootstrapServers, "entry '" + entry.strip() + "' is not host:port");
      }
    }
    if (securityProtocol == null) {
      securityProtocol = SecurityProtocol.PLAINTEXT;
    }
    boolean sasl = isSasl(securityProtocol);
    boolean tls =
        securityProtocol == SecurityProtocol.SSL || securityProtocol == SecurityProtocol.SASL_SSL;
    if (sasl) {
      if (saslMechanism == null) {
        saslMechanism = SaslMechanism.SCRAM_SHA_512;
      }
      if (username == null || username.isBlank()) {
        throw new ConfigException(
            SASL_USERNAME.name()
                + " is required when "
                + SECURITY_PROTOCOL.name()
                + "="
                + securityProtocol.name);
      }
      if (password == null || password.isEmpty()) {
        throw new ConfigException(
            SASL_PASSWORD.name()
                + " is required when "
                + SECURITY_PROTOCOL.name()
                + "="
                + securityProtocol.name);
      }
    } else {
      if (saslMechanism != null) {
        throw ConfigException.conflict(
            SASL_MECHANISM, saslMechanism.kafkaName(), SECURITY_PROTOCOL, "needs SASL_PLAINTEXT or SASL_SSL, got " + securityProtocol.name);
      }
      if (username != null || password != null) {
        throw ConfigException.conflict(
            username != null ? SASL_USERNAME : SASL_PASSWORD,
            username != null ? username : password,
            SECURITY_PROTOCOL,
            "credentials need SASL_PLAINTEXT or SASL_SSL, got " + securityProtocol.name);
      }
    }
    if (truststorePath != null) {
      if (!tls) {
        throw ConfigException.conflict(
            SSL_TRUSTSTORE_PATH,
            truststorePath.toString(),
            SECURITY_PROTOCOL,
            "a trust store needs SSL or SASL_SSL, got " + securityProtocol.name);
      }
      if (!Files.isReadable(truststorePath)) {
        throw new ConfigException(
            SSL_TRUSTSTORE_PATH, truststorePath.toString(), "file does not exist or is not readable");
      }
      if (truststorePassword != null && "PEM".equals(truststoreType(truststorePath))) {
        throw ConfigException.conflict(
            SSL_TRUSTSTORE_PASSWORD, truststorePassword, SSL_TRUSTSTORE_PATH, "PEM trust stores take no password");
      }
    } else if (truststorePassword != null) {
      throw ConfigException.conflict(
          SSL_TRUSTSTORE_PASSWORD, truststorePassword, SSL_TRUSTSTORE_PATH, "a password needs a trust store path");
    }
    if (clientIdPrefix == null || clientIdPrefix.isBlank()) {
      clientIdPrefix = CLIENT_ID_PREFIX.defaultValue();
    }
    if (!CLIENT_ID.matcher(clientIdPrefix).matches()) {
      throw new ConfigException(CLIENT_ID_PREFIX, clientIdPrefix, "only letters, digits, '.', '_' and '-' are allowed");
    }
  }

  /** Plain-text settings for a local broker, e.g. the embedded one. */
  public static KafkaSettings plaintext(String bootstrapServers, String clientIdPrefix) {
    return new KafkaSettings(
        bootstrapServers, SecurityProtocol.PLAINTEXT, null, null, null, null, null, clientIdPrefix);
  }

  /**
   * Reads settings from a map holding property names ({@code alignloop.kafka.*}) and/or their
   * environment-variable forms, e.g. {@code System.getenv()} merged with a config file.
   */
  public static KafkaSettings from(Map<String, String> config) {
    String protocolText = SECURITY_PROTOCOL.valueOrDefault(config);
    SecurityProtocol protocol;
    try {
      protocol = SecurityProtocol.forName(protocolText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          SECURITY_PROTOCOL,
          protocolText,
          "expected one of " + Arrays.toString(SecurityProtocol.values()));
    }
    SaslMechanism mechanism = null;
    String mechanismText = SASL_MECHANISM.valueOrDefault(config);
    if (mechanismText != null) {
      try {
        mechanism = SaslMechanism.parse(mechanismText);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(SASL_MECHANISM, mechanismText, e.getMessage());
      }
    }
    String truststore = SSL_TRUSTSTORE_PATH.valueOrDefault(config);
    return new KafkaSettings(
        BOOTSTRAP_SERVERS.valueOrDefault(config),
        protocol,
        mechanism,
        SASL_USERNAME.valueOrDefault(config),
        SASL_PASSWORD.valueOrDefault(config),
        truststore == null ? null : Path.of(truststore),
        SSL_TRUSTSTORE_PASSWORD.valueOrDefault(config),
        CLIENT_ID_PREFIX.valueOrDefault(config));
  }

  /**
   * An idempotent producer ({@code acks=all}, {@code enable.idempotence=true}): no duplicates
   * from retries, ordering kept per partition.
   */
  public Properties producer() {
    Properties p = common("producer-" + CLIENT_SEQUENCE.incrementAndGet());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return p;
  }

  /**
   * A transactional producer for read-process-write exactly-once. {@code transactionalId} must
   * be stable across restarts of the same logical instance (so a restarted instance fences its
   * zombie) and unique among live instances.
   */
  public Properties transactionalProducer(String transactionalId) {
    if (transactionalId == null || transactionalId.isBlank()) {
      throw new IllegalArgumentException("transactionalId must not be blank");
    }
    Properties p = producer();
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId("tx-" + transactionalId));
    return p;
  }

  /**
   * A consumer that sees only committed transactional data ({@code isolation.level=
   * read_committed}), commits offsets itself ({@code enable.auto.commit=false}; in a
   * transaction via {@code sendOffsetsToTransaction}) and starts new groups at the beginning
   * ({@code auto.offset.reset=earliest}) so no message is skipped.
   */
  public Properties readCommittedConsumer(String groupId) {
    if (groupId == null || groupId.isBlank()) {
      throw new IllegalArgumentException("groupId must not be blank");
    }
    Properties p = common("consumer-" + groupId + "-" + CLIENT_SEQUENCE.incrementAndGet());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return p;
  }

  /** An admin client (topic creation, consumer-lag queries). */
  public Properties admin() {
    return common("admin-" + CLIENT_SEQUENCE.incrementAndGet());
  }

  /** Settings with passwords masked. */
  @Override
  public String toString() {
    return "KafkaSettings[bootstrapServers="
        + bootstrapServers
        + ", securityProtocol="
        + securityProtocol
        + ", saslMechanism="
        + (saslMechanism == null ? null : saslMechanism.kafkaName())
        + ", username="
        + username
        + ", password="
        + (password == null ? null : "[hidden]")
        + ", truststorePath="
        + truststorePath
        + ", truststorePassword="
        + (truststorePassword == null ? null : "[hidden]")
        + ", clientIdPrefix="
        + clientIdPrefix
        + "]";
  }

  private Properties common(String clientIdSuffix) {
    Properties p = new Properties();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId(clientIdSuffix));
    p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol.name);
    if (isSasl(securityProtocol)) {
      p.put(SaslConfigs.SASL_MECHANISM, saslMechanism.kafkaName());
      p.put(
          SaslConfigs.SASL_JAAS_CONFIG,
          saslMechanism.loginModule()
              + " required username=\""
              + jaasEscape(username)
              + "\" password=\""
              + jaasEscape(password)
              + "\";");
    }
    if (truststorePath != null) {
      p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststorePath.toAbsolutePath().toString());
      p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, truststoreType(truststorePath));
      if (truststorePassword != null) {
        p.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, truststorePassword);
      }
    }
    return p;
  }

  private String clientId(String suffix) {
    return clientIdPrefix + "-" + suffix;
  }

  private static boolean isSasl(SecurityProtocol protocol) {
    return protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL;
  }

  /** Trust store type from the file extension (Strimzi ships {@code ca.p12} and {@code ca.crt}). */
  static String truststoreType(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".p12") || name.endsWith(".pfx")) {
      return "PKCS12";
    }
    if (name.endsWith(".pem") || name.endsWith(".crt")) {
      return "PEM";
    }
    return "JKS";
  }

  // JAAS values are double-quoted strings: escape backslashes and quotes.
  private static String jaasEscape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
