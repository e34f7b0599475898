package dev.alignloop.cli;

import dev.alignloop.monitor.MonitorServer;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code alignloop monitor}: the dashboard and Prometheus endpoint for a running loop. */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = {"Serve the AlignLoop dashboard (topic rates and lag, training and eval curves, checkpoint "
                + "lineage, DLQ browser, gallery of recent pairs) and /prometheus for the cluster at --bootstrap-servers. "
                + "Reads the topics without a consumer group: it never disturbs the services. Runs until Ctrl-C.",
                "Kafka security and other monitor keys come from the environment (ALIGNLOOP_KAFKA_*, ALIGNLOOP_MONITOR_*)."})
final class MonitorCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", defaultValue = "${env:ALIGNLOOP_KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers. Default: ${DEFAULT-VALUE}.")
    String bootstrap;

    @Option(names = "--blob-uri", defaultValue = "${env:ALIGNLOOP_BLOB_URI:-file:.alignloop/blobs}",
            description = "Blob store holding the pair images (for the gallery). Default: ${DEFAULT-VALUE}.")
    String blobUri;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (0: any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind. Default: ${DEFAULT-VALUE}.")
    String host;

    @Override
    public Integer call() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        try (MonitorServer server = MonitorServer.start(Map.of(
                MonitorServer.BOOTSTRAP_SERVERS, bootstrap, MonitorServer.BLOB_STORE, blobUri,
                MonitorServer.PORT, port, MonitorServer.HOST, host))) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "monitor-stop"));
            System.out.println("dashboard: " + server.url() + "  (Prometheus: " + server.url() + "prometheus; Ctrl-C to stop)");
            stop.await();
        }
        return 0;
    }
}
