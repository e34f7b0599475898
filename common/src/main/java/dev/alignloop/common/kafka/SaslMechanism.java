package dev.alignloop.common.kafka;

import java.util.Arrays;
import java.util.Locale;

/** SASL mechanisms we configure, with the JAAS login module each needs. */
public enum SaslMechanism {
  /** SCRAM with SHA-512: what Strimzi's {@code KafkaUser} with {@code scram-sha-512} issues. */
  SCRAM_SHA_512("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule"),
  /** SCRAM with SHA-256. */
  SCRAM_SHA_256("SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule"),
  /** PLAIN (only over TLS in production). */
  PLAIN("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule");

  private final String kafkaName;
  private final String loginModule;

  SaslMechanism(String kafkaName, String loginModule) {
    this.kafkaName = kafkaName;
    this.loginModule = loginModule;
  }

  /** The value Kafka expects for {@code sasl.mechanism}, e.g. {@code SCRAM-SHA-512}. */
  public String kafkaName() {
    return kafkaName;
  }

  /** The JAAS login module class for {@code sasl.jaas.config}. */
  public String loginModule() {
    return loginModule;
  }

  /** Parses the Kafka spelling ({@code SCRAM-SHA-512}) or the enum name, case-insensitively. */
  public static SaslMechanism parse(String text) {
    String t = text.strip().toUpperCase(Locale.ROOT);
    for (SaslMechanism m : values()) {
      if (m.kafkaName.equals(t) || m.name().equals(t)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "Unknown SASL mechanism '"
            + text
            + "', expected one of "
            + Arrays.stream(values()).map(SaslMechanism::kafkaName).toList());
  }
}
