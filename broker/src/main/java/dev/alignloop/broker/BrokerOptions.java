package dev.alignloop.broker;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How to run the embedded broker.
 *
 * @param dataDir where the KRaft metadata log and topic data live; formatted on first start,
 *     reused after (default {@code ./.alignloop/kafka})
 * @param port client (PLAINTEXT) listener port; 0 picks a free one (default 9092)
 * @param host address the client listener binds to and advertises (default 127.0.0.1)
 * @param overrides Kafka server properties applied last, e.g. {@code log.retention.hours};
 *     the listener and quorum keys are derived from host and port and cannot be overridden
 *     (nor, when {@code secure}, the SASL and authorizer keys)
 * @param secure SASL_PLAINTEXT with SCRAM-SHA-512 on the client listener, the StandardAuthorizer
 *     with no access unless an ACL allows it, and the users and ACLs of {@link
 *     dev.alignloop.broker.security.ServiceAcls}; passwords in {@code <dataDir>/credentials.properties}.
 *     A data dir is formatted either secure or not and must be started the same way after.
 */
public record BrokerOptions(Path dataDir, int port, String host, Map<String, String> overrides, boolean secure) {

  /** Default data directory, relative to the working directory (DESIGN §6). */
  public static final Path DEFAULT_DATA_DIR = Path.of(".alignloop", "kafka");
  /** Kafka's conventional port. */
  public static final int DEFAULT_PORT = 9092;
  /** Loopback only: the embedded broker is for one machine. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  public BrokerOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host is blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535 (0 = any free port), got " + port);
    }
    overrides = Map.copyOf(Objects.requireNonNull(overrides, "overrides"));
    for (String key : overrides.keySet()) {
      if (ServerProperties.DERIVED_KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "override " + key + " conflicts with host/port: the embedded broker derives it; set host or port instead");
      }
      if (secure && ServerProperties.isSecurityKey(key)) {
        throw new IllegalArgumentException(
            "override " + key + " conflicts with secure=true: the secured broker sets SASL and ACL keys itself");
      }
    }
  }

  /** Without security (plain-text listener, no authorizer). */
  public BrokerOptions(Path dataDir, int port, String host, Map<String, String> overrides) {
    this(dataDir, port, host, overrides, false);
  }

  /** {@code ./.alignloop/kafka}, port 9092, 127.0.0.1, no overrides. */
  public static BrokerOptions defaults() {
    return new BrokerOptions(DEFAULT_DATA_DIR, DEFAULT_PORT, DEFAULT_HOST, Map.of(), false);
  }

  /** A copy with another data directory. */
  public BrokerOptions withDataDir(Path dataDir) {
    return new BrokerOptions(dataDir, port, host, overrides, secure);
  }

  /** A copy with another client port (0 = any free port). */
  public BrokerOptions withPort(int port) {
    return new BrokerOptions(dataDir, port, host, overrides, secure);
  }

  /** A copy with another listener host. */
  public BrokerOptions withHost(String host) {
    return new BrokerOptions(dataDir, port, host, overrides, secure);
  }

  /** A copy with these Kafka property overrides (replacing any previous ones). */
  public BrokerOptions withOverrides(Map<String, String> overrides) {
    return new BrokerOptions(dataDir, port, host, overrides, secure);
  }

  /** A copy with security on or off (see {@link #secure()}). */
  public BrokerOptions withSecure(boolean secure) {
    return new BrokerOptions(dataDir, port, host, overrides, secure);
  }
}
