package dev.alignloop.generator;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The generator as a library: what {@code alignloop demo} and tests call to run it in-process.
 *
 * <pre>{@code
 * try (GeneratorServer generator = GeneratorServer.start(Map.of(
 *     GeneratorServer.BOOTSTRAP_SERVERS, "127.0.0.1:9092",
 *     GeneratorServer.MODEL_DIR, "models/shapes-base",
 *     "alignloop.blob.uri", "file:/var/lib/alignloop/blobs"))) {
 *   ...
 * }
 * }</pre>
 *
 * Any other Micronaut or {@code alignloop.*} property may be passed too; they win over {@code
 * application.yml} and the environment. Returns once the worker has started (base policy loaded,
 * checkpoint topic caught up, processing loop running).
 */
public final class GeneratorServer implements AutoCloseable {

    /** Property: HTTP port of {@code /health} and {@code /prometheus}; 0 (the default here) picks a free one. */
    public static final String PORT = "micronaut.server.port";
    /** Property: HTTP bind address; the default here is {@code 127.0.0.1}. */
    public static final String HOST = "micronaut.server.host";
    /** Property: Kafka bootstrap servers. */
    public static final String BOOTSTRAP_SERVERS = "alignloop.kafka.bootstrap.servers";
    /** Property: the base policy's diffusers folder. */
    public static final String MODEL_DIR = "alignloop.generator.model-dir";

    private final EmbeddedServer server;

    private GeneratorServer(EmbeddedServer server) {
        this.server = server;
    }

    /**
     * Starts the generator.
     *
     * @param properties configuration; see the class doc
     * @return the running generator; close it to stop everything
     */
    public static GeneratorServer start(Map<String, Object> properties) {
        Map<String, Object> props = new HashMap<>();
        // A library caller (CLI, demo, tests) wants a free port on loopback unless it says otherwise.
        props.put(PORT, 0);
        props.put(HOST, "127.0.0.1");
        props.putAll(Objects.requireNonNull(properties, "properties"));
        return new GeneratorServer(ApplicationContext.run(EmbeddedServer.class, props));
    }

    /** @return the HTTP base URL, e.g. {@code http://127.0.0.1:8081/} */
    public URI url() {
        return URI.create("http://" + server.getHost() + ":" + server.getPort() + "/");
    }

    /** @return the running application context (for tests and embedding) */
    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    /** Stops gracefully: the batch in flight commits, then everything closes. */
    @Override
    public void close() {
        server.getApplicationContext().close();
    }
}
