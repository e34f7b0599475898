package dev.alignloop.cli.demo;

import dev.alignloop.broker.BrokerOptions;
import dev.alignloop.broker.EmbeddedKafkaBroker;
import dev.alignloop.common.io.AtomicFiles;
import dev.alignloop.common.kafka.KafkaSettings;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.Topics;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.CheckpointStatus;
import dev.alignloop.schemas.avro.EvalResult;
import dev.alignloop.schemas.avro.PromptRequest;
import dev.alignloop.shapes.model.ArtifactChecksumException;
import dev.alignloop.shapes.model.ShapesArtifacts;
import dev.alignloop.shapes.prompt.PromptGrammar;
import dev.alignloop.shapes.prompt.PromptSampler;
import dev.alignloop.shapes.prompt.PromptSplit;
import dev.alignloop.streaming.Producers;
import dev.alignloop.streaming.SourceProducer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;

/**
 * The demo: an embedded broker, the four services as child JVMs, the dashboard in-process, and
 * {@code rounds} rounds of "send prompts → pairs → labels → DPO steps → checkpoint → eval gate".
 * Everything it reports is read back from the topics, never assumed.
 */
final class DemoRunner {
    private final DemoOptions opt;
    private final PrintStream out;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final Instant started = Instant.now();
    private List<String> promptLines;
    /** Rounds done, for callers that want more than the exit code. */
    final List<RoundResult> results = new ArrayList<>();
    /** What the topics held at the end. */
    LoopObserver.Snapshot finalSnapshot;
    /** The dashboard, when started. */
    java.net.URI dashboard;
    /** Runs after the last round, while everything is still up (tests look at the live dashboard). */
    java.util.function.Consumer<DemoRunner> beforeShutdown = r -> { };

    DemoRunner(DemoOptions opt, PrintStream out) {
        this.opt = opt;
        this.out = out;
    }

    int run() throws Exception {
        Path home = opt.home();
        Path state = opt.stateDir();
        Optional<String> missing = missingModels(home);
        if (missing.isPresent()) {
            out.println("alignloop demo: " + missing.get());
            return dev.alignloop.cli.DemoCommand.NOT_READY;
        }
        if (opt.fresh() && Files.exists(state)) {
            out.println("--fresh: removing " + state);
            AtomicFiles.deleteRecursively(state);
        }
        Files.createDirectories(state);
        Thread hook = new Thread(this::closeAll, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return loop(home, state);
        } finally {
            closeAll();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
    }

    private Optional<String> missingModels(Path home) {
        List<String> problems = new ArrayList<>();
        if (!Files.isRegularFile(home.resolve(opt.baseModel()).resolve("model_index.json"))) {
            problems.add("no base model at " + opt.baseModel() + " (create it with ./alignloop pretrain base)");
        }
        if (!Files.isRegularFile(home.resolve(opt.rewardManifest()))) {
            problems.add("no reward model at " + opt.rewardManifest() + " (create it with ./alignloop pretrain reward)");
        }
        if (problems.isEmpty()) {
            // Shipped (and any other checksummed) models are verified before anything starts: a
            // corrupt file stops the demo with its name and the command that regenerates it.
            verifyIfChecksummed(home.resolve(opt.baseModel()), ShapesArtifacts.Artifact.BASE, problems);
            verifyIfChecksummed(home.resolve(opt.rewardManifest()).getParent(), ShapesArtifacts.Artifact.REWARD, problems);
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    private static void verifyIfChecksummed(Path dir, ShapesArtifacts.Artifact artifact, List<String> problems) {
        if (dir == null || !Files.isRegularFile(dir.resolve(ShapesArtifacts.CHECKSUMS))) {
            return;
        }
        try {
            ShapesArtifacts.verify(dir, artifact);
        } catch (ArtifactChecksumException e) {
            problems.add(e.getMessage());
        }
    }

    private int loop(Path home, Path state) throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(
                BrokerOptions.defaults().withPort(0).withDataDir(state.resolve("kafka")));
        open.add(broker);
        broker.createTopics(Topics.all());
        String bootstrap = broker.bootstrapServers();
        out.println("Kafka (KRaft, embedded): " + bootstrap + ", data in " + state.resolve("kafka"));

        Map<String, String> common = new LinkedHashMap<>();
        common.put("alignloop.kafka.bootstrap.servers", bootstrap);
        common.put("alignloop.blob.uri", state.resolve("blobs").toAbsolutePath().toUri().toString());
        common.put("ai.djl.offline", "true");
        common.put("ai.djl.pytorch.num_threads", String.valueOf(opt.threads()));
        common.put("ai.djl.pytorch.num_interop_threads", "1");
        Path checkpoints = state.resolve("checkpoints").toAbsolutePath();
        List<ServiceProcess> services = new ArrayList<>();
        for (ServiceKind kind : ServiceKind.values()) {
            Map<String, String> p = new LinkedHashMap<>(common);
            p.putAll(DemoSettings.forService(kind, opt, home, state, checkpoints));
            p.put("alignloop.kafka.client.id.prefix", "demo-" + kind.displayName());
            p.putAll(opt.overrides());
            ServiceProcess s = ServiceProcess.start(home, kind, p, freePort(), DemoSettings.heap(kind), state.resolve("logs"));
            open.add(s);
            services.add(s);
            out.println("started " + kind.displayName() + " (log: " + s.log() + ")");
        }
        for (ServiceProcess s : services) {
            s.awaitHealthy(Duration.ofMinutes(3));
        }
        out.println("all services healthy");
        if (opt.monitor()) {
            startMonitor(bootstrap, state);
        }
        KafkaSettings kafka = KafkaSettings.plaintext(bootstrap, "alignloop-demo");
        LoopObserver observer = new LoopObserver(kafka);
        open.add(observer);
        Admin admin = Admin.create(kafka.admin());
        open.add(admin);
        SourceProducer<PromptRequest> prompts = Producers.idempotent(kafka, AvroSerde.of(PromptRequest.class).serializer());
        open.add(prompts);

        String runId = Long.toString(started.toEpochMilli(), 36);
        for (int round = 1; round <= opt.rounds(); round++) {
            results.add(round(round, runId, prompts, observer, admin, services));
        }
        finalSnapshot = observer.snapshot();
        printSummary(results, finalSnapshot);
        beforeShutdown.accept(this);
        return 0;
    }

    private RoundResult round(int round, String runId, SourceProducer<PromptRequest> producer, LoopObserver observer,
                              Admin admin, List<ServiceProcess> services) {
        LoopObserver.Snapshot before = observer.snapshot();
        Instant t0 = Instant.now();
        List<PromptRequest> batch = new ArrayList<>();
        List<String> texts = prompts(round);
        for (int i = 0; i < texts.size(); i++) {
            batch.add(PromptRequest.newBuilder().setId("demo-" + runId + "-r" + round + "-" + i)
                    .setPrompt(texts.get(i)).setNegativePrompt(null).setSeed(null)
                    .setSource(opt.promptFile() == null ? "grammar" : "file").setCreatedAt(Instant.now()).build());
        }
        producer.sendAll(Topics.PROMPTS, batch, PromptRequest::getId, Duration.ofSeconds(60));
        out.printf("round %d: sent %d prompts%n", round, batch.size());

        await("round " + round + " generation and labelling", services, observer, () ->
                GroupProgress.caughtUp(admin, observer, DemoSettings.GENERATOR_GROUP, Topics.PROMPTS)
                        && GroupProgress.caughtUp(admin, observer, DemoSettings.SCORER_GROUP, Topics.PAIRS));
        if (observer.snapshot().labels() == before.labels()) {
            LoopObserver.Snapshot now = observer.snapshot();
            RoundResult r = new RoundResult(round, batch.size(), now.pairs() - before.pairs(), 0,
                    now.deadLetters() - before.deadLetters(), null, null, Duration.between(t0, Instant.now()));
            out.println(r.line() + "   (no labels: every pair tied or was dead-lettered; nothing to train)");
            return r;
        }
        await("round " + round + " training and checkpoint", services, observer, () ->
                GroupProgress.caughtUp(admin, observer, DemoSettings.TRAINER_GROUP, Topics.PREFERENCES)
                        && observer.snapshot().latestCheckpoint().map(c -> c.getStep()
                        > before.latestCheckpoint().map(Checkpoint::getStep).orElse(-1L)).orElse(false));
        String version = observer.snapshot().latestCheckpoint().orElseThrow().getVersion();
        await("round " + round + " eval of " + version, services, observer,
                () -> observer.snapshot().evalOf(version).isPresent());
        LoopObserver.Snapshot after = observer.snapshot();
        Checkpoint ckpt = after.checkpoints().stream().filter(c -> c.getVersion().equals(version)).findFirst().orElseThrow();
        EvalResult eval = after.evalOf(version).orElseThrow();
        RoundResult r = new RoundResult(round, batch.size(), after.pairs() - before.pairs(),
                after.labels() - before.labels(), after.deadLetters() - before.deadLetters(), ckpt, eval,
                Duration.between(t0, Instant.now()));
        out.println(r.line());
        return r;
    }

    /** This round's prompts: the next lines of the prompt file in turn, or a seeded grammar sample. */
    private List<String> prompts(int round) {
        if (opt.promptFile() == null) {
            return new PromptSampler(PromptSplit.Part.TRAIN).sample(opt.pairsPerRound(), opt.seed() * 1000 + round)
                    .stream().map(PromptGrammar::format).toList();
        }
        if (promptLines == null) {
            try {
                promptLines = Files.readAllLines(opt.promptFile()).stream().map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            } catch (IOException e) {
                throw new IllegalArgumentException("--prompts " + opt.promptFile() + ": " + e.getMessage(), e);
            }
            if (promptLines.isEmpty()) {
                throw new IllegalArgumentException("--prompts " + opt.promptFile() + " holds no prompts");
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < opt.pairsPerRound(); i++) {
            out.add(promptLines.get(((round - 1) * opt.pairsPerRound() + i) % promptLines.size()));
        }
        return out;
    }

    private void await(String what, List<ServiceProcess> services, LoopObserver observer, BooleanSupplier done) {
        Instant deadline = Instant.now().plus(opt.roundTimeout());
        Instant nextReport = Instant.now();
        while (true) {
            for (ServiceProcess s : services) {
                if (!s.isAlive()) {
                    throw new IllegalStateException(s.kind().displayName() + " died during " + what + "; see " + s.log());
                }
            }
            if (done.getAsBoolean()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(what + " did not finish within " + opt.roundTimeout().toMinutes()
                        + " min; service logs are in " + opt.stateDir().resolve("logs"));
            }
            if (!Instant.now().isBefore(nextReport)) {
                LoopObserver.Snapshot s = observer.snapshot();
                out.printf("  [%s] %s: pairs %d, labels %d, dead letters %d, checkpoints %d (%d promoted), policy %s%n",
                        elapsed(), what, s.pairs(), s.labels(), s.deadLetters(), s.checkpoints().size(), s.promoted(),
                        s.latestPromoted().orElse("base"));
                nextReport = Instant.now().plusSeconds(10);
            }
            sleepQuietly(Duration.ofMillis(500));
        }
    }

    private void startMonitor(String bootstrap, Path state) {
        try {
            var monitor = dev.alignloop.monitor.MonitorServer.start(Map.of(
                    dev.alignloop.monitor.MonitorServer.BOOTSTRAP_SERVERS, bootstrap,
                    dev.alignloop.monitor.MonitorServer.BLOB_STORE, state.resolve("blobs").toAbsolutePath().toUri().toString(),
                    dev.alignloop.monitor.MonitorServer.PORT, String.valueOf(opt.monitorPort())));
            open.add(monitor);
            dashboard = monitor.url();
            out.println("dashboard: " + dashboard);
        } catch (RuntimeException e) {
            out.println("dashboard not started: " + e.getMessage());
        }
    }

    private void printSummary(List<RoundResult> results, LoopObserver.Snapshot s) {
        out.println();
        out.println("== AlignLoop demo summary (" + elapsed() + ") ==");
        out.println(RoundResult.header());
        results.forEach(r -> out.println(r.line()));
        out.printf("totals: pairs %d, labels %d (duplicates %d), dead letters %d, checkpoints %d, promoted %d%n",
                s.pairs(), s.labels(), s.duplicateLabels(), s.deadLetters(), s.checkpoints().size(), s.promoted());
        results.stream().filter(r -> r.eval() != null).reduce((a, b) -> b).map(r -> r.eval().getGridUri())
                .ifPresent(g -> out.println("before/after grid of the last eval (baseline row above policy row): " + g));
    }

    private String elapsed() {
        Duration d = Duration.between(started, Instant.now());
        return String.format("%d:%02d", d.toMinutes(), d.toSecondsPart());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private synchronized void closeAll() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                out.println("while stopping: " + e.getMessage());
            }
        }
        open.clear();
    }

    /** What one round did, read back from the topics. */
    record RoundResult(int round, int prompts, int pairs, int labels, int deadLetters, Checkpoint checkpoint,
                       EvalResult eval, Duration took) {
        static String header() {
            return String.format("%-5s %7s %5s %6s %4s %-14s %6s %-9s %-16s %-16s %6s", "round", "prompts", "pairs",
                    "labels", "dlq", "checkpoint", "step", "status", "reward win", "judge win", "time");
        }

        String line() {
            if (checkpoint == null) {
                return String.format("%-5d %7d %5d %6d %4d %-14s %6s %-9s %-16s %-16s %3d:%02d", round, prompts, pairs,
                        labels, deadLetters, "-", "-", "-", "-", "-", took.toMinutes(), took.toSecondsPart());
            }
            String judge = eval.getJudgeWinRate() == null ? "-" : String.format("%.2f [%.2f,%.2f]",
                    eval.getJudgeWinRate(), eval.getJudgeWinRateLow(), eval.getJudgeWinRateHigh());
            return String.format("%-5d %7d %5d %6d %4d %-14s %6d %-9s %-16s %-16s %3d:%02d", round, prompts, pairs,
                    labels, deadLetters, checkpoint.getVersion(), checkpoint.getStep(), eval.getDecision(),
                    String.format("%.2f [%.2f,%.2f]", eval.getWinRate(), eval.getWinRateLow(), eval.getWinRateHigh()),
                    judge, took.toMinutes(), took.toSecondsPart());
        }
    }
}
