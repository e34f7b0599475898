package dev.alignloop.cli;

import dev.alignloop.cli.demo.DemoOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code alignloop demo}: the whole loop on the embedded default world. Services run as their own
 * JVMs (as in production: nothing shared but Kafka and the blob store); the broker and the
 * dashboard run in this process.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the full loop on the embedded 'shapes' world: an embedded Kafka broker (KRaft), the "
                + "generator, scorer, trainer and eval-gate services as child processes, and the dashboard. Each round "
                + "sends prompts, waits for pairs, AI-feedback labels, Diffusion-DPO steps, a checkpoint and its eval, "
                + "then prints what the topics hold. State (Kafka data, blobs, checkpoints, logs) stays under "
                + "--state-dir: a second run resumes from it unless --fresh.",
                "Exit codes: 0 done, 1 failed, 3 not ready (models missing)."})
public final class DemoCommand implements Callable<Integer> {
    /** Exit code for "this checkout cannot run the demo yet" (e.g. models not pretrained). */
    public static final int NOT_READY = 3;

    @Option(names = "--rounds", defaultValue = "3", description = "Loop rounds. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--prompts", paramLabel = "FILE",
            description = "Prompt file (one per line) used in turn instead of the shapes grammar's training split.")
    Path promptFile;

    @Option(names = "--pairs-per-round", defaultValue = "64",
            description = "Prompts (image pairs) per round. Default: ${DEFAULT-VALUE}.")
    int pairsPerRound;

    @Option(names = "--eval-prompts", defaultValue = "64", description = "Held-out prompts per eval. Default: ${DEFAULT-VALUE}.")
    int evalPrompts;

    @Option(names = "--steps", defaultValue = "20", description = "Sampling steps. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--beta", defaultValue = "500", description = "DPO beta for the tiny world. Default: ${DEFAULT-VALUE}.")
    double beta;

    @Option(names = "--lr", defaultValue = "1e-4", description = "DPO learning rate for the tiny world. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--threads", defaultValue = "1", description = "DJL threads per service. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--seed", defaultValue = "7", description = "Prompt sampling seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--fresh", description = "Delete the state dir first (start over).")
    boolean fresh;

    @Option(names = "--no-monitor", description = "Do not start the dashboard.")
    boolean noMonitor;

    @Option(names = "--monitor-port", defaultValue = "8080", description = "Dashboard port (0: any). Default: ${DEFAULT-VALUE}.")
    int monitorPort;

    @Option(names = "--state-dir", defaultValue = ".alignloop", description = "State directory. Default: ${DEFAULT-VALUE}.")
    Path stateDir;

    @Option(names = "--round-timeout", defaultValue = "PT20M", description = "Longest wait for one phase of a round. Default: ${DEFAULT-VALUE}.")
    Duration roundTimeout;

    @Option(names = "--base-model", defaultValue = "models/shapes-base", description = "Base policy (diffusers folder). Default: ${DEFAULT-VALUE}.")
    Path baseModel;

    @Option(names = "--reward", defaultValue = "models/shapes-reward/reward.json", description = "Reward model manifest. Default: ${DEFAULT-VALUE}.")
    Path reward;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Extra service configuration, given to every service (keys are namespaced), e.g. "
                    + "--set alignloop.gate.prompt-count=32. Repeatable.")
    java.util.Map<String, String> overrides = new java.util.LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        Path home = Path.of(System.getProperty("alignloop.home", ".")).toAbsolutePath().normalize();
        DemoOptions options = new DemoOptions(home, home.resolve(stateDir), rounds, pairsPerRound, evalPrompts, steps,
                beta, lr, threads, seed, fresh, !noMonitor, monitorPort, roundTimeout, baseModel, reward, promptFile, overrides);
        return dev.alignloop.cli.demo.Demo.run(options, System.out);
    }
}
