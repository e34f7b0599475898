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

  /** The full property set for the given resolved ports. */
  static Properties build(BrokerOptions options, int clientPort, int controllerPort) {
    Map<String, String> p = new TreeMap<>(SINGLE_NODE_DEFAULTS);
    String controller = "127.0.0.1:" + controllerPort;
    String client = options.host() + ":" + clientPort;
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    // Static quorum (voters fixed in config), so the controller port may change between runs;
    // the storage is therefore formatted without --standalone (DESIGN §9).
    p.put("controller.quorum.voters", NODE_ID + "@" + controller);
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put("listeners", CLIENT_LISTENER + "://" + client + "," + CONTROLLER_LISTENER + "://" + controller);
    p.put("advertised.listeners", CLIENT_LISTENER + "://" + client);
    p.put("listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    p.put("inter.broker.listener.name", CLIENT_LISTENER);
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
