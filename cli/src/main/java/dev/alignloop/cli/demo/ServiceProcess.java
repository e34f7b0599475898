package dev.alignloop.cli.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service of the loop running as its own JVM, started from the module's packaged layout
 * ({@code <module>/target/<artifact>.jar} + {@code lib/}), exactly as a container would run it.
 * Configuration goes in as system properties (Micronaut reads them like env vars); output goes to
 * {@code <logs>/<service>.log}. Separate processes keep the services honest (nothing shared but
 * Kafka and the blob store) and let a crash of one be seen, not hidden.
 */
final class ServiceProcess implements AutoCloseable {
    private final ServiceKind kind;
    private final Process process;
    private final Path log;
    private final int port;

    private ServiceProcess(ServiceKind kind, Process process, Path log, int port) {
        this.kind = kind;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts {@code kind} with {@code properties}; {@code heap} like "1g". */
    static ServiceProcess start(Path home, ServiceKind kind, Map<String, String> properties, int port, String heap,
                                Path logs) {
        Path target = home.resolve(kind.module).resolve("target");
        Path jar = target.resolve("alignloop-" + kind.module + ".jar");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(target.resolve("lib"))) {
            throw new IllegalStateException(kind.displayName() + " is not built (" + jar + " missing): run "
                    + "'./mvnw -B -DskipTests install' or start the demo through ./alignloop, which builds it");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-Dmicronaut.server.port=" + port);
        cmd.add("-Dmicronaut.server.host=127.0.0.1");
        cmd.add("-cp");
        cmd.add(jar + java.io.File.pathSeparator + target.resolve("lib") + java.io.File.separator + "*");
        cmd.add(kind.mainClass);
        try {
            Files.createDirectories(logs);
            Path log = logs.resolve(kind.displayName() + ".log");
            Process p = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new ServiceProcess(kind, p, log, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + kind.displayName() + ": " + e.getMessage(), e);
        }
    }

    ServiceKind kind() {
        return kind;
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Polls {@code /health} until it answers 200, the process dies, or the deadline passes. */
    void awaitHealthy(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(3)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(kind.displayName() + " exited with code " + process.exitValue()
                        + " during start-up; see " + log);
            }
            try {
                if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + kind.displayName(), e);
            }
            try {
                process.waitFor(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + kind.displayName(), e);
            }
        }
        throw new IllegalStateException(kind.displayName() + " not healthy after " + timeout.toSeconds() + " s; see " + log);
    }

    /**
     * SIGKILL ({@code kill -9}): no shutdown hook, no flush, no final checkpoint; returns once the
     * process is gone. For the chaos test, which restarts the service with the same configuration.
     */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(kind.displayName() + " still running 30 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + kind.displayName(), e);
        }
    }

    /** The exit code, or -1 while running. */
    int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** SIGTERM (Micronaut shuts down cleanly: in-flight work finishes), then SIGKILL after a grace period. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
