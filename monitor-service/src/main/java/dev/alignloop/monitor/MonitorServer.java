package dev.alignloop.monitor;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The monitor as a library: what {@code alignloop monitor} and the demo call.
 *
 * <pre>{@code
 * try (MonitorServer monitor = MonitorServer.start(Map.of(
 *     MonitorServer.BOOTSTRAP_SERVERS, "127.0.0.1:9092",
 *     MonitorServer.PORT, 8088,
 *     MonitorServer.BLOB_STORE, "file:/var/lib/alignloop/blobs"))) {
 *   System.out.println("Dashboard: " + monitor.url());
 *   ...
 * }
 * }</pre>
 *
 * Any other Micronaut or {@code alignloop.*} property may be passed too (e.g. {@code
 * alignloop.kafka.security.protocol}); they win over {@code application.yml} and the environment.
 */
public final class MonitorServer implements AutoCloseable {

  /** Property: HTTP port; 0 (the default here) picks a free one. */
  public static final String PORT = "micronaut.server.port";
  /** Property: HTTP bind address; the default here is {@code 127.0.0.1}. */
  public static final String HOST = "micronaut.server.host";
  /** Property: Kafka bootstrap servers. */
  public static final String BOOTSTRAP_SERVERS = "alignloop.kafka.bootstrap.servers";
  /** Property: blob-store base URI for the gallery images. */
  public static final String BLOB_STORE = "alignloop.monitor.blob-store";

  private final EmbeddedServer server;

  private MonitorServer(EmbeddedServer server) {
    this.server = server;
  }

  /**
   * Starts the monitor: Kafka readers, lag polling and the HTTP server.
   *
   * @param properties configuration; see the class doc
   * @return the running server; close it to stop everything
   */
  public static MonitorServer start(Map<String, Object> properties) {
    Map<String, Object> props = new HashMap<>();
    // A library caller (CLI, demo, tests) wants a free port on loopback unless it says otherwise.
    props.put(PORT, 0);
    props.put(HOST, "127.0.0.1");
    props.putAll(Objects.requireNonNull(properties, "properties"));
    EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props);
    return new MonitorServer(server);
  }

  /** The dashboard, e.g. {@code http://127.0.0.1:8088/}. */
  public URI url() {
    return URI.create("http://" + server.getHost() + ":" + server.getPort() + "/");
  }

  /** The HTTP port. */
  public int port() {
    return server.getPort();
  }

  /** The running application context (for tests and embedding). */
  public ApplicationContext context() {
    return server.getApplicationContext();
  }

  /** Stops the server and every monitor component. */
  @Override
  public void close() {
    server.getApplicationContext().close();
  }
}
