package dev.alignloop.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code server.properties} of the embedded single-node KRaft cluster: one process that is
 * both broker and controller (node id 1, static quorum), replication factor 1 everywhere, and
 * small thread pools and buffers because it shares 2 cores with the whole loop.
 */
final class ServerProperties {

  static final int NODE_ID = 1;
  static final String CONTROLLER_LISTENER = "CONTROLLER";
  static final String CLIENT_LISTENER = "PLAINTEXT";
  /** The client listener's name when secure (SASL_PLAINTEXT, SCRAM-SHA-512). */
  static final String SECURE_CLIENT_LISTENER = "SASL_PLAINTEXT";
  static final String SCRAM = "SCRAM-SHA-512";
  /** Where topic data and the metadata log live, under the data dir. */
  static final String LOG_SUBDIR = "logs";

  /** Keys computed from host and ports; overriding them would break bootstrapServers(). */
  static final Set<String> DERIVED_KEYS = Set.of("process.roles", "node.id", "listeners",
      "advertised.listeners", "controller.listener.names", "controller.quorum.voters",
      "controller.quorum.bootstrap.servers", "listener.security.protocol.map",
      "inter.broker.listener.name", "log.dirs", "log.dir", "metadata.log.dir");

  /** Defaults for a single node; each is a {@link BrokerOptions#overrides()} candidate. */
  static final Map<String, String> SINGLE_NODE_DEFAULTS = Map.ofEntries(
      // Internal topics: one replica, since there is one broker; few partitions, since
      // each partition costs files and start-up time and one node gains nothing from 50.
      Map.entry("offsets.topic.replication.factor", "1"),
      Map.entry("offsets.topic.num.partitions", "3"),
      Map.entry("transaction.state.log.replication.factor", "1"),
      Map.entry("transaction.state.log.min.isr", "1"),
      Map.entry("transaction.state.log.num.partitions", "3"),
      Map.entry("share.coordinator.state.topic.replication.factor", "1"),
      Map.entry("share.coordinator.state.topic.min.isr", "1"),
      Map.entry("default.replication.factor", "1"),
      Map.entry("min.insync.replicas", "1"),
      Map.entry("num.partitions", "1"),
      // No point waiting for more members to join on a laptop: first rebalance immediately.
      Map.entry("group.initial.rebalance.delay.ms", "0"),
      // 2 cores: Kafka's defaults (8 io threads, 128 MB cleaner buffer) are sized for servers.
      Map.entry("num.io.threads", "2"),
      Map.entry("num.network.threads", "2"),
      Map.entry("background.threads", "2"),
      Map.entry("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024)),
      Map.entry("log.cleaner.backoff.ms", "5000"));

  private ServerProperties() {}

  /** Keys a secured broker sets itself (SASL, listener overrides, authorizer). */
  static boolean isSecurityKey(String key) {
    return key.startsWith("sasl.") || key.startsWith("listener.name.") || key.startsWith("security.")
        || key.startsWith("ssl.") || key.equals("authorizer.class.name") || key.equals("super.users")
        || key.equals("allow.everyone.if.no.acl.found");
  }

  /** The full property set for the given resolved ports, without security. */
  static Properties build(BrokerOptions options, int clientPort, int controllerPort) {
    return build(options, clientPort, controllerPort, null);
  }

  /**
   * The full property set for the given resolved ports; with {@code adminPassword} (secure
   * brokers) the client listener is SASL_PLAINTEXT with SCRAM-SHA-512, the controller listener
   * SASL_PLAINTEXT with PLAIN (SCRAM credentials live in the metadata log the controller serves,
   * so KRaft controllers cannot use SCRAM), and the StandardAuthorizer denies what no ACL allows.
   * The super user {@code admin} is the only identity on both listeners until users are added.
   */
  static Properties build(BrokerOptions options, int clientPort, int controllerPort, String adminPassword) {
    Map<String, String> p = new TreeMap<>(SINGLE_NODE_DEFAULTS);
    String controller = "127.0.0.1:" + controllerPort;
    String client = options.host() + ":" + clientPort;
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    // Static quorum (voters fixed in config), so the controller port may change between runs;
    // the storage is therefore formatted without --standalone (DESIGN §9).
    p.put("controller.quorum.voters", NODE_ID + "@" + controller);
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    boolean secure = adminPassword != null;
    String listener = secure ? SECURE_CLIENT_LISTENER : CLIENT_LISTENER;
    String protocol = secure ? "SASL_PLAINTEXT" : "PLAINTEXT";
    p.put("listeners", listener + "://" + client + "," + CONTROLLER_LISTENER + "://" + controller);
    p.put("advertised.listeners", listener + "://" + client);
    p.put("listener.security.protocol.map", listener + ":" + protocol + "," + CONTROLLER_LISTENER + ":" + protocol);
    p.put("inter.broker.listener.name", listener);
    if (secure) {
      String clientPrefix = "listener.name." + listener.toLowerCase(java.util.Locale.ROOT) + ".";
      String controllerPrefix = "listener.name." + CONTROLLER_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
      p.put("sasl.enabled.mechanisms", SCRAM);
      p.put("sasl.mechanism.inter.broker.protocol", SCRAM);
      p.put(clientPrefix + "sasl.enabled.mechanisms", SCRAM);
      p.put(clientPrefix + SCRAM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\""
              + adminPassword + "\";");
      p.put("sasl.mechanism.controller.protocol", "PLAIN");
      p.put(controllerPrefix + "sasl.enabled.mechanisms", "PLAIN");
      p.put(controllerPrefix + "plain.sasl.jaas.config",
          "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\""
              + adminPassword + "\" user_admin=\"" + adminPassword + "\";");
      p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
      p.put("super.users", "User:admin");
      p.put("allow.everyone.if.no.acl.found", "false");
    }
    p.put("log.dirs", logDir(options).toString());
    p.putAll(options.overrides());
    Properties props = new Properties();
    props.putAll(p);
    return props;
  }

  static Path logDir(BrokerOptions options) {
    return options.dataDir().toAbsolutePath().resolve(LOG_SUBDIR);
  }

  /** A port that was free a moment ago (the OS picks it; small race, acceptable locally). */
  static int freePort(String host) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + host, e);
    }
  }

  /** Fails with a clear message if {@code host:port} is taken (Kafka's own error is buried). */
  static void requireFree(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new BrokerException(host + ":" + port + " is already in use (another broker running?); "
          + "stop it or choose another port (0 = any free port)", e);
    }
  }
}
