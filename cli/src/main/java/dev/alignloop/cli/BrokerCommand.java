package dev.alignloop.cli;

import dev.alignloop.broker.BrokerMain;
import dev.alignloop.broker.BrokerOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code alignloop broker}: a real single-node Kafka broker (KRaft) with AlignLoop's topics. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Start an embedded single-node Kafka broker (KRaft mode, real Kafka from the Maven jars) "
                + "and create AlignLoop's topics. Formats the data dir on first start and reuses it after. "
                + "Runs until SIGTERM/Ctrl-C, then shuts down cleanly.",
                "Prints 'bootstrap.servers=HOST:PORT' once the topics exist.",
                "With --secure: SASL/SCRAM-SHA-512 on the client listener, ACLs enforced, one user per service "
                        + "with exactly its topics, group and transactional ids (as the Kubernetes KafkaUsers); "
                        + "prints 'credentials=FILE' (user=password lines) first."})
final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "" + BrokerOptions.DEFAULT_PORT,
            description = "Client listener port (0 picks a free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", defaultValue = BrokerOptions.DEFAULT_HOST,
            description = "Address to bind. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--data-dir", defaultValue = ".alignloop/kafka",
            description = "Log directory (kept between runs). Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--secure",
            description = "Require SASL/SCRAM-SHA-512 and enforce per-service ACLs. A data dir keeps the mode "
                    + "it was first started in.")
    boolean secure;

    @Override
    public Integer call() {
        BrokerMain.runUntilSignalled(options());
        return 0;
    }

    /** The broker options these command-line options describe. */
    BrokerOptions options() {
        return BrokerOptions.defaults().withPort(port).withHost(host).withDataDir(dataDir).withSecure(secure);
    }
}
