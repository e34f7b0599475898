package dev.alignloop.common.kafka;

import dev.alignloop.common.config.ConfigKey;
import dev.alignloop.common.config.ConfigKey.Type;
import java.util.List;

/**
 * Every key {@link KafkaSettings#from(java.util.Map)} reads, with its doc and default. Each can
 * also be set by its environment variable ({@link ConfigKey#envName()}). README tables are
 * generated from {@link #ALL}.
 */
public final class KafkaConfigKeys {

  private KafkaConfigKeys() {}

  /** Broker list. */
  public static final ConfigKey BOOTSTRAP_SERVERS =
      new ConfigKey(
          "alignloop.kafka.bootstrap.servers",
          Type.LIST,
          "localhost:9092",
          "Comma-separated host:port list of Kafka brokers to bootstrap from.");

  /** Transport security. */
  public static final ConfigKey SECURITY_PROTOCOL =
      new ConfigKey(
          "alignloop.kafka.security.protocol",
          Type.STRING,
          "PLAINTEXT",
          "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.");

  /** SASL mechanism. */
  public static final ConfigKey SASL_MECHANISM =
      new ConfigKey(
          "alignloop.kafka.sasl.mechanism",
          Type.STRING,
          null,
          "SCRAM-SHA-512 (default when the protocol is SASL_*), SCRAM-SHA-256 or PLAIN.");

  /** SASL user. */
  public static final ConfigKey SASL_USERNAME =
      new ConfigKey(
          "alignloop.kafka.sasl.username",
          Type.STRING,
          null,
          "SASL user name (e.g. the Strimzi KafkaUser name); required for SASL_* protocols.");

  /** SASL password. */
  public static final ConfigKey SASL_PASSWORD =
      new ConfigKey(
          "alignloop.kafka.sasl.password",
          Type.PASSWORD,
          null,
          "SASL password; required for SASL_* protocols. Never logged.");

  /** Trust store file. */
  public static final ConfigKey SSL_TRUSTSTORE_PATH =
      new ConfigKey(
          "alignloop.kafka.ssl.truststore.path",
          Type.PATH,
          null,
          "Trust store for SSL/SASL_SSL: PKCS12 (.p12/.pfx), PEM (.pem/.crt) or JKS (other)."
              + " Unset: the JVM's default trust store.");

  /** Trust store password. */
  public static final ConfigKey SSL_TRUSTSTORE_PASSWORD =
      new ConfigKey(
          "alignloop.kafka.ssl.truststore.password",
          Type.PASSWORD,
          null,
          "Password of the trust store (not allowed for PEM).");

  /** Client id prefix. */
  public static final ConfigKey CLIENT_ID_PREFIX =
      new ConfigKey(
          "alignloop.kafka.client.id.prefix",
          Type.STRING,
          "alignloop",
          "Prefix of every client.id (the service name is a good choice): quotas and broker"
              + " logs group clients by it.");

  /** All keys, in documentation order. */
  public static final List<ConfigKey> ALL =
      List.of(
          BOOTSTRAP_SERVERS,
          SECURITY_PROTOCOL,
          SASL_MECHANISM,
          SASL_USERNAME,
          SASL_PASSWORD,
          SSL_TRUSTSTORE_PATH,
          SSL_TRUSTSTORE_PASSWORD,
          CLIENT_ID_PREFIX);
}
