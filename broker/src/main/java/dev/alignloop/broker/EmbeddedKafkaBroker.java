package dev.alignloop.broker;

import dev.alignloop.broker.security.BrokerCredentials;
import dev.alignloop.broker.security.BrokerSecurity;
import dev.alignloop.broker.security.ServiceAcls;
import dev.alignloop.schemas.TopicSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) running in this JVM
 * from the {@code kafka_2.13} jars: the AlignLoop demo's broker and every module's streaming
 * integration tests run against it instead of a container.
 *
 * <p>The first start formats {@code dataDir} like {@code kafka-storage.sh format} with a random
 * cluster id; later starts find {@code meta.properties} and reuse it, so topics, messages and
 * committed offsets survive restarts. Typical start-up takes a few seconds.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(BrokerOptions.defaults().withPort(0))) {
 *   kafka.createTopics(Topics.all());
 *   String bootstrap = kafka.bootstrapServers();
 *   ...
 * }
 * }</pre>
 *
 * <p>With {@link BrokerOptions#secure()} the client listener requires SASL/SCRAM-SHA-512 and
 * every request is authorized against ACLs: the broker creates the users and ACLs of {@link
 * ServiceAcls} (passwords: {@link #credentials()}), so each service principal can touch only its
 * own topics, group and transactional ids, as on a Strimzi cluster with the {@code deploy/}
 * manifests.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private final BrokerOptions options;
  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final int port;
  private final String clusterId;
  private final boolean formatted;
  private final BrokerCredentials credentials; // null unless secure
  private boolean closed;

  private EmbeddedKafkaBroker(BrokerOptions options, KafkaRaftServer server, int port, String clusterId,
      boolean formatted, BrokerCredentials credentials) {
    this.options = options;
    this.credentials = credentials;
    this.server = server;
    this.port = port;
    this.bootstrapServers = options.host() + ":" + port;
    this.clusterId = clusterId;
    this.formatted = formatted;
  }

  /**
   * Formats {@code options.dataDir()} if needed, starts the broker and waits until it accepts
   * clients.
   *
   * @throws BrokerException if the port is taken, the data dir is locked by another broker or
   *     unusable, or start-up fails; whatever was started is shut down first
   */
  public static EmbeddedKafkaBroker start(BrokerOptions options) {
    long t0 = System.nanoTime();
    Path logDir = ServerProperties.logDir(options);
    requireUnlocked(logDir);
    int port = options.port() == 0 ? ServerProperties.freePort(options.host()) : options.port();
    ServerProperties.requireFree(options.host(), port);
    int controllerPort = ServerProperties.freePort("127.0.0.1");
    boolean format = !Files.exists(logDir.resolve("meta.properties"));
    BrokerCredentials credentials = securityOf(options, format);
    Properties props = ServerProperties.build(options, port, controllerPort,
        credentials == null ? null : credentials.password(BrokerCredentials.ADMIN));

    Path configFile = writeConfig(options.dataDir(), props);
    String clusterId = format ? format(configFile, credentials) : readClusterId(logDir);

    KafkaRaftServer server;
    try {
      server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    } catch (RuntimeException e) {
      throw new BrokerException("invalid broker configuration " + configFile + ": " + e.getMessage(), e);
    }
    EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(options, server, port, clusterId, format, credentials);
    try {
      server.startup();
      broker.awaitReady();
      if (credentials != null) {
        try (Admin admin = broker.admin()) {
          BrokerSecurity.apply(admin, credentials, ServiceAcls.all(), ADMIN_TIMEOUT);
        }
      }
    } catch (RuntimeException e) {
      broker.close();
      throw e instanceof BrokerException be ? be
          : new BrokerException("Kafka broker failed to start on " + broker.bootstrapServers
              + " with data in " + logDir + ": " + e.getMessage(), e);
    }
    LOG.info("Kafka {} broker (KRaft, cluster {}{}) listening on {} in {} ms; {} data in {}",
        AppInfoParser.getVersion(), clusterId,
        credentials == null ? "" : ", SASL/SCRAM-SHA-512 + ACLs, credentials in " + credentials.file(),
        broker.bootstrapServers,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), format ? "new" : "existing", logDir);
    return broker;
  }

  /** Client address, {@code host:port}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The client listener port actually bound (resolved when options asked for 0). */
  public int port() {
    return port;
  }

  /** The KRaft cluster id, from {@code meta.properties}. */
  public String clusterId() {
    return clusterId;
  }

  /** Where data lives. */
  public Path dataDir() {
    return options.dataDir().toAbsolutePath();
  }

  /** True if this start formatted a fresh data dir, false if it reused one. */
  public boolean freshlyFormatted() {
    return formatted;
  }

  /** The options this broker was started with. */
  public BrokerOptions options() {
    return options;
  }

  /** A new Admin client for this broker (as the super user when secure); the caller closes it. */
  public Admin admin() {
    Map<String, Object> config = new HashMap<>(credentials == null
        ? Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers)
        : clientProperties(BrokerCredentials.ADMIN));
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
    return Admin.create(config);
  }

  /** True if clients must authenticate and are authorized by ACLs ({@link BrokerOptions#secure()}). */
  public boolean secure() {
    return credentials != null;
  }

  /** The SCRAM passwords of a secure broker; empty otherwise. */
  public Optional<BrokerCredentials> credentials() {
    return Optional.ofNullable(credentials);
  }

  /**
   * Client properties (bootstrap servers, SASL_PLAINTEXT, SCRAM-SHA-512, JAAS line) to connect
   * as {@code user}, one of {@link ServiceAcls#all()} or {@link BrokerCredentials#ADMIN}.
   *
   * @throws IllegalStateException if the broker is not secure
   * @throws IllegalArgumentException naming the user if it has no credentials
   */
  public Map<String, Object> clientProperties(String user) {
    if (credentials == null) {
      throw new IllegalStateException("broker on " + bootstrapServers + " is not secure: no users");
    }
    return BrokerSecurity.clientProperties(bootstrapServers, user, credentials.password(user));
  }

  /**
   * Creates topics that do not exist yet; existing ones are left as they are (their settings
   * are not compared or changed).
   *
   * @return the names that were actually created
   */
  public List<String> createTopics(Collection<TopicSpec> topics) {
    try (Admin admin = admin()) {
      List<NewTopic> requested = topics.stream().map(TopicSpec::toNewTopic).toList();
      Map<String, KafkaFuture<Void>> results = admin.createTopics(requested).values();
      List<String> created = new ArrayList<>();
      for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
        try {
          result.getValue().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
          created.add(result.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new BrokerException("cannot create topic " + result.getKey() + ": " + e.getCause(), e.getCause());
          }
        }
      }
      if (!created.isEmpty()) {
        LOG.info("Created topics {} on {}", created, bootstrapServers);
      }
      return created;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerException("interrupted while creating topics", e);
    } catch (TimeoutException e) {
      throw new BrokerException("timed out creating topics on " + bootstrapServers, e);
    }
  }

  /** Shuts the broker down cleanly and waits for it; safe to call twice. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long t0 = System.nanoTime();
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("Kafka broker on {} did not shut down cleanly", bootstrapServers, e);
      return;
    }
    LOG.info("Kafka broker on {} stopped in {} ms; data kept in {}", bootstrapServers,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), ServerProperties.logDir(options));
  }

  /** startup() returns once the broker is registered; wait until it serves metadata too. */
  private void awaitReady() {
    try (Admin admin = admin()) {
      long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          if (System.nanoTime() > deadline) {
            throw new BrokerException("broker on " + bootstrapServers + " did not become ready", e);
          }
        }
        if (System.nanoTime() > deadline) {
          throw new BrokerException("broker on " + bootstrapServers + " reports no nodes");
        }
        TimeUnit.MILLISECONDS.sleep(50); // back off between metadata polls
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerException("interrupted while waiting for the broker", e);
    }
  }

  /**
   * Fails fast, before touching anything, if another broker holds the data dir. Kafka would
   * detect it too, but only after we rewrote server.properties, and with a stack trace.
   */
  private static void requireUnlocked(Path logDir) {
    Path lock = logDir.resolve(".lock");
    if (!Files.exists(lock)) {
      return;
    }
    try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
      FileLock held = channel.tryLock();
      if (held != null) {
        held.release();
        return;
      }
    } catch (OverlappingFileLockException e) {
      // held by a broker in this JVM: fall through
    } catch (IOException e) {
      throw new BrokerException("cannot check " + lock + ": " + e.getMessage(), e);
    }
    throw new BrokerException(logDir + " is in use by another Kafka broker (process or thread); "
        + "stop it or choose another data dir");
  }

  private static Path writeConfig(Path dataDir, Properties props) {
    Path file = dataDir.toAbsolutePath().resolve("server.properties");
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream out = Files.newOutputStream(file)) {
        props.store(out, "Written by AlignLoop's EmbeddedKafkaBroker on every start; edits are overwritten");
      }
      return file;
    } catch (IOException e) {
      throw new BrokerException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The credentials of a secure broker (created on first start), or null; refuses to start a
   * data dir in another mode than it was formatted in.
   */
  private static BrokerCredentials securityOf(BrokerOptions options, boolean format) {
    boolean hasCredentials = Files.exists(BrokerCredentials.file(options.dataDir()));
    if (!format && options.secure() && !hasCredentials) {
      throw new BrokerException(options.dataDir().toAbsolutePath() + " was formatted without security; "
          + "start it without --secure, or use a new data dir for a secure broker");
    }
    if (!format && !options.secure() && hasCredentials) {
      throw new BrokerException(options.dataDir().toAbsolutePath() + " was formatted with security (it has "
          + BrokerCredentials.FILE_NAME + "); start it with --secure");
    }
    if (!options.secure()) {
      return null;
    }
    return BrokerCredentials.loadOrCreate(options.dataDir(), ServiceAcls.all());
  }

  /**
   * {@code kafka-storage.sh format -t <random uuid> -c server.properties}, in-process; a secure
   * broker's super user gets its SCRAM credential here ({@code --add-scram}), since inter-broker
   * traffic must authenticate before any admin call could create it.
   */
  private static String format(Path configFile, BrokerCredentials credentials) {
    String clusterId = Uuid.randomUuid().toString();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int rc;
    List<String> args = new ArrayList<>(List.of("format", "-t", clusterId, "-c", configFile.toString()));
    if (credentials != null) {
      args.addAll(List.of("--add-scram", ServerProperties.SCRAM + "=[name=" + BrokerCredentials.ADMIN
          + ",password=" + credentials.password(BrokerCredentials.ADMIN) + "]"));
    }
    try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      // execute() (unlike main) returns the exit code instead of calling System.exit.
      rc = StorageTool.execute(args.toArray(String[]::new), out);
    } catch (RuntimeException e) {
      throw new BrokerException("formatting Kafka storage failed (" + configFile + "): " + e.getMessage()
          + " " + output.toString(StandardCharsets.UTF_8).trim(), e);
    }
    if (rc != 0) {
      throw new BrokerException("formatting Kafka storage failed with exit code " + rc + " (" + configFile + "): "
          + output.toString(StandardCharsets.UTF_8).trim());
    }
    LOG.info("Formatted new KRaft storage, cluster id {}: {}", clusterId, output.toString(StandardCharsets.UTF_8).trim());
    return clusterId;
  }

  private static String readClusterId(Path logDir) {
    Properties meta = new Properties();
    try (InputStream in = Files.newInputStream(logDir.resolve("meta.properties"))) {
      meta.load(in);
    } catch (IOException e) {
      throw new BrokerException("cannot read " + logDir.resolve("meta.properties") + ": " + e.getMessage(), e);
    }
    return meta.getProperty("cluster.id", "?");
  }
}
