package dev.alignloop.cli.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alignloop.broker.BrokerOptions;
import dev.alignloop.broker.EmbeddedKafkaBroker;
import dev.alignloop.common.io.AtomicFiles;
import dev.alignloop.common.kafka.KafkaSettings;
import dev.alignloop.diffusion.checkpoint.CheckpointStore;
import dev.alignloop.diffusion.checkpoint.CheckpointVerifier;
import dev.alignloop.diffusion.checkpoint.TrainingCheckpoint;
import dev.alignloop.diffusion.pretrained.TinyPolicyFolder;
import dev.alignloop.reward.onnx.TinyRewardFolder;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.Decoded;
import dev.alignloop.schemas.Topics;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.DeadLetter;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.schemas.avro.PromptRequest;
import dev.alignloop.shapes.prompt.PromptGrammar;
import dev.alignloop.streaming.Producers;
import dev.alignloop.streaming.SourceProducer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos suite, short form (issue #10): the loop on the real embedded broker with the
 * generator, scorer and trainer as separate JVMs from their packaged jars, on tiny random models.
 * While prompts flow, a random service is SIGKILLed at a random moment and restarted with the same
 * configuration (same instance id, so the same transactional id: the restarted producer fences its
 * zombie and aborts its open transaction); the broker is stopped and started again on the same
 * data dir and port while the services keep running. After the drain, everything is read back from
 * the topics (read_committed) and the checkpoint folders:
 *
 * <ul>
 *   <li>every prompt has exactly one pair record (or a dead letter), no pair id twice;
 *   <li>every pair exactly one label (or a dead letter): the tie margin is 0, so no pair is
 *       skipped as a tie and "pair without label" can only mean lost;
 *   <li>the trainer's lineage ({@code trained_labels.json} along the parent chain of its newest
 *       checkpoint) holds every label exactly once (trained or dead-lettered);
 *   <li>every local checkpoint verifies against its manifest, and every announced one exists.
 * </ul>
 *
 * <p>Seeded: {@code -Dalignloop.chaos.seed=S} repeats a schedule (which service, when, where the
 * broker restart falls); {@code -Dalignloop.chaos.kills=50 -Dalignloop.chaos.prompts=200} is the
 * long form ({@code .prompts=N}: N prompts in 4 bursts spread over the schedule). Service logs and
 * the state stay under {@code cli/target/chaos/seed-S/}.
 */
class ChaosTest {
    private static final List<ServiceKind> CHAOTIC = List.of(ServiceKind.GENERATOR, ServiceKind.SCORER,
            ServiceKind.TRAINER);
    private static final int BURSTS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final Map<ServiceKind, ServiceProcess> services = new EnumMap<>(ServiceKind.class);
    private final Map<ServiceKind, Map<String, String>> config = new EnumMap<>(ServiceKind.class);
    private final List<String> selfExits = new ArrayList<>();
    private Path home;
    private Path logs;

    @Test
    void killNineAndABrokerRestartLoseAndDuplicateNothing() throws Exception {
        long seed = Long.getLong("alignloop.chaos.seed", System.nanoTime());
        int kills = Integer.getInteger("alignloop.chaos.kills", 5);
        int brokerRestarts = Integer.getInteger("alignloop.chaos.broker-restarts", 1);
        int promptCount = Integer.getInteger("alignloop.chaos.prompts", 40);
        Random rnd = new Random(seed);
        Instant t0 = Instant.now();
        System.out.println("ChaosTest: seed " + seed + " (-Dalignloop.chaos.seed=" + seed + " repeats it), kills "
                + kills + ", broker restarts " + brokerRestarts + ", prompts " + promptCount);

        home = Path.of(System.getProperty("alignloop.home", "..")).toAbsolutePath().normalize();
        Path state = Path.of(System.getProperty("basedir", "."), "target", "chaos", "seed-" + seed).toAbsolutePath();
        if (Files.exists(state)) {
            AtomicFiles.deleteRecursively(state);
        }
        Files.createDirectories(state);
        logs = state.resolve("logs");
        Path base = TinyPolicyFolder.write(tmp.resolve("base"), 32, PromptGrammar.vocabulary(), 1);
        Path reward = TinyRewardFolder.write(tmp.resolve("reward"), PromptGrammar.vocabulary(), 32, 3);
        // Prompts the tiny text encoder (8 positions) takes.
        List<String> texts = List.of("a red circle", "a blue square", "a green triangle", "two yellow circles",
                "a purple square", "a small red triangle");
        Path promptFile = Files.writeString(tmp.resolve("prompts.txt"), String.join("\n", texts) + "\n");
        DemoOptions opt = new DemoOptions(home, state, 1, promptCount, 3, 2, 500, 1e-4, 1, 7, true, false, 0,
                Duration.ofMinutes(3), base, reward, promptFile, Map.of());

        BrokerOptions brokerOptions = BrokerOptions.defaults().withPort(0).withDataDir(state.resolve("kafka"));
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(brokerOptions);
        brokerOptions = brokerOptions.withPort(broker.port()); // restarts come back on the same port
        broker.createTopics(Topics.all());
        String bootstrap = broker.bootstrapServers();
        Path checkpoints = state.resolve("checkpoints").toAbsolutePath();

        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("alignloop.generator.batch-size", "4");
        // No ties: every pair must get a label (or a dead letter), so a missing label is a lost one.
        overrides.put("alignloop.scorer.tie-margin", "0");
        overrides.put("alignloop.trainer.batch-size", "4");
        overrides.put("alignloop.trainer.passes-per-batch", "1");
        overrides.put("alignloop.trainer.batch-linger", "1s");
        overrides.put("alignloop.trainer.checkpoint-every-steps", "2");
        overrides.put("alignloop.trainer.checkpoint-when-idle", "3s");
        overrides.put("alignloop.trainer.checkpoint-max-interval", "1m");
        // Keep every checkpoint: the lineage walk needs the whole parent chain.
        overrides.put("alignloop.trainer.keep-last-checkpoints", "100000");
        for (ServiceKind kind : CHAOTIC) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("alignloop.kafka.bootstrap.servers", bootstrap);
            p.put("alignloop.blob.uri", state.resolve("blobs").toAbsolutePath().toUri().toString());
            p.put("ai.djl.offline", "true");
            p.put("ai.djl.pytorch.num_threads", "1");
            p.put("ai.djl.pytorch.num_interop_threads", "1");
            p.putAll(DemoSettings.forService(kind, opt, home, state, checkpoints));
            p.put("alignloop.kafka.client.id.prefix", "chaos-" + kind.displayName());
            overrides.forEach((k, v) -> {
                if (k.startsWith("alignloop." + kind.displayName() + ".")) {
                    p.put(k, v);
                }
            });
            config.put(kind, p);
        }

        KafkaSettings kafka = KafkaSettings.plaintext(bootstrap, "alignloop-chaos");
        Set<String> promptIds = new HashSet<>();
        int killed = 0;
        int restarted = 0;
        Map<ServiceKind, Integer> killsOf = new EnumMap<>(ServiceKind.class);
        try (LoopObserver observer = new LoopObserver(kafka);
             Admin admin = Admin.create(kafka.admin());
             SourceProducer<PromptRequest> producer = Producers.idempotent(kafka,
                     AvroSerde.of(PromptRequest.class).serializer())) {
            for (ServiceKind kind : CHAOTIC) {
                services.put(kind, start(kind));
            }
            for (ServiceKind kind : CHAOTIC) {
                services.get(kind).awaitHealthy(Duration.ofMinutes(2));
            }
            System.out.printf("ChaosTest [%s]: services healthy%n", elapsed(t0));

            // The schedule: kills and broker restarts in a seeded order, a burst of prompts before
            // each of the first events, a random pause after each event.
            List<String> events = new ArrayList<>();
            for (int i = 0; i < kills; i++) {
                events.add("kill");
            }
            for (int i = 0; i < brokerRestarts; i++) {
                events.add("broker");
            }
            Collections.shuffle(events, rnd);
            // Bursts spread over the schedule, so that the long form still kills while prompts flow.
            int stride = Math.max(1, events.size() / BURSTS);
            int sent = 0;
            int bursts = 0;
            for (int e = 0; e < events.size() || sent < promptCount; e++) {
                if (sent < promptCount && e % stride == 0) {
                    int n = ++bursts >= BURSTS ? promptCount - sent : promptCount / BURSTS;
                    List<PromptRequest> burst = new ArrayList<>();
                    for (int i = 0; i < n; i++, sent++) {
                        String id = "chaos-" + Long.toHexString(seed) + "-" + sent;
                        promptIds.add(id);
                        burst.add(PromptRequest.newBuilder().setId(id).setPrompt(texts.get(sent % texts.size()))
                                .setNegativePrompt(null).setSeed(null).setSource("chaos")
                                .setCreatedAt(Instant.now()).build());
                    }
                    producer.sendAll(Topics.PROMPTS, burst, PromptRequest::getId, Duration.ofSeconds(60));
                    System.out.printf("ChaosTest [%s]: sent %d prompts (%d in all)%n", elapsed(t0), n, sent);
                }
                pause(Duration.ofMillis(500 + rnd.nextInt(5500)));
                if (e >= events.size()) {
                    continue;
                }
                if (events.get(e).equals("broker")) {
                    LoopObserver.Snapshot now = observer.snapshot();
                    System.out.printf("ChaosTest [%s]: broker stop (so far: pairs %d, labels %d, checkpoints %d)%n",
                            elapsed(t0), now.pairs(), now.labels(), now.checkpoints().size());
                    broker.close();
                    pause(Duration.ofMillis(500 + rnd.nextInt(2500)));
                    BrokerOptions same = brokerOptions;
                    EmbeddedKafkaBroker[] again = new EmbeddedKafkaBroker[1];
                    await("broker restart on port " + same.port()).atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(500)).pollInSameThread().ignoreExceptions()
                            .until(() -> (again[0] = EmbeddedKafkaBroker.start(same)) != null);
                    broker = again[0];
                    restarted++;
                    System.out.printf("ChaosTest [%s]: broker restarted on %s%n", elapsed(t0), broker.bootstrapServers());
                } else {
                    ServiceKind kind = CHAOTIC.get(rnd.nextInt(CHAOTIC.size()));
                    LoopObserver.Snapshot now = observer.snapshot();
                    System.out.printf("ChaosTest [%s]: kill -9 %s (so far: pairs %d, labels %d, checkpoints %d)%n",
                            elapsed(t0), kind.displayName(), now.pairs(), now.labels(), now.checkpoints().size());
                    services.get(kind).kill();
                    killed++;
                    killsOf.merge(kind, 1, Integer::sum);
                    ServiceProcess s = start(kind);
                    services.put(kind, s);
                    s.awaitHealthy(Duration.ofMinutes(2));
                    System.out.printf("ChaosTest [%s]: %s restarted and healthy%n", elapsed(t0), kind.displayName());
                }
            }

            Instant[] nextReport = {Instant.now()};
            await("drain: generator, scorer and trainer caught up")
                    .atMost(Duration.ofSeconds(Math.max(240, 3L * promptCount))).pollInSameThread()
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        restartSelfExited();
                        boolean generator = GroupProgress.caughtUp(admin, observer, DemoSettings.GENERATOR_GROUP,
                                Topics.PROMPTS);
                        boolean scorer = GroupProgress.caughtUp(admin, observer, DemoSettings.SCORER_GROUP, Topics.PAIRS);
                        boolean trainer = GroupProgress.caughtUp(admin, observer, DemoSettings.TRAINER_GROUP,
                                Topics.PREFERENCES);
                        if (Instant.now().isAfter(nextReport[0])) {
                            LoopObserver.Snapshot now = observer.snapshot();
                            System.out.printf("ChaosTest [%s]: draining: pairs %d, labels %d, checkpoints %d; caught up:"
                                    + " generator %s, scorer %s, trainer %s%n", elapsed(t0), now.pairs(), now.labels(),
                                    now.checkpoints().size(), generator, scorer, trainer);
                            nextReport[0] = Instant.now().plusSeconds(10);
                        }
                        return generator && scorer && trainer;
                    });
            System.out.printf("ChaosTest [%s]: drained%n", elapsed(t0));
        } finally {
            for (ServiceProcess s : services.values()) {
                s.close(); // SIGTERM: graceful
            }
        }

        try {
            Verdict v = verify(kafka, promptIds, checkpoints);
            String summary = String.format("chaos: kills %d, broker restarts %d, prompts %d, pairs %d, labels %d, lost %d,"
                    + " duplicated %d", killed, restarted, promptIds.size(), v.pairs, v.labels, v.lost(), v.duplicated());
            System.out.println(summary);
            System.out.printf("chaos details: seed %d, kills by service %s, self-exits %s, dead letters %d, checkpoints %d"
                            + " (announced %d), lineage %d, runtime %s%n", seed, killsOf, selfExits, v.deadLetters,
                    v.localCheckpoints, v.announced, v.lineage, elapsed(t0));
            v.notes.forEach(n -> System.out.println("chaos note: " + n));
            v.problems.forEach(p -> System.out.println("chaos problem: " + p));
            assertTrue(killed >= Math.min(kills, 5) && restarted >= brokerRestarts, summary);
            assertEquals(0, v.lost(), summary + "\n" + String.join("\n", v.problems) + "\n(seed " + seed + ", logs " + logs + ")");
            assertEquals(0, v.duplicated(), summary + "\n" + String.join("\n", v.problems) + "\n(seed " + seed + ", logs " + logs + ")");
            assertTrue(v.problems.isEmpty(), String.join("\n", v.problems) + "\n(seed " + seed + ", logs " + logs + ")");
        } finally {
            broker.close();
        }
    }

    private ServiceProcess start(ServiceKind kind) throws IOException {
        return ServiceProcess.start(home, kind, config.get(kind), freePort(), DemoSettings.heap(kind), logs);
    }

    /** A service that died without being killed is a finding: noted, and restarted so the drain can finish. */
    private void restartSelfExited() throws IOException {
        for (ServiceKind kind : CHAOTIC) {
            ServiceProcess s = services.get(kind);
            if (!s.isAlive()) {
                selfExits.add(kind.displayName() + " exit " + s.exitCode());
                System.out.println("ChaosTest: " + kind.displayName() + " exited by itself with code " + s.exitCode()
                        + "; restarting (log " + s.log() + ")");
                services.put(kind, start(kind));
            }
        }
    }

    /** A randomized pause, polled against its deadline; services that die meanwhile are restarted. */
    private void pause(Duration d) {
        Instant until = Instant.now().plus(d);
        await().atMost(d.plusSeconds(30)).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
            restartSelfExited();
            return !Instant.now().isBefore(until);
        });
    }

    private static final class Verdict {
        int pairs;
        int labels;
        int deadLetters;
        int localCheckpoints;
        int announced;
        int lineage;
        int lostPrompts;
        int lostPairs;
        int lostInLineage;
        int duplicatePairs;
        int duplicateLabels;
        int duplicateInLineage;
        final List<String> problems = new ArrayList<>();
        /** Dead letters: accounted for (not lost), but every input here is valid, so each is printed. */
        final List<String> notes = new ArrayList<>();

        int lost() {
            return lostPrompts + lostPairs + lostInLineage;
        }

        int duplicated() {
            return duplicatePairs + duplicateLabels + duplicateInLineage;
        }
    }

    private static Verdict verify(KafkaSettings kafka, Set<String> promptIds, Path checkpointRoot) {
        Verdict v = new Verdict();
        var pairSerde = AvroSerde.of(ImagePair.class).safeDeserializer();
        var labelSerde = AvroSerde.of(PreferenceLabel.class).safeDeserializer();
        var dlqSerde = AvroSerde.of(DeadLetter.class).safeDeserializer();
        var ckptSerde = AvroSerde.of(Checkpoint.class).safeDeserializer();

        // Dead letters by source topic → keys.
        Map<String, List<String>> deadByTopic = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : readAll(kafka, Topics.DLQ)) {
            v.deadLetters++;
            if (dlqSerde.deserialize(r.topic(), r.value()) instanceof Decoded.Ok<DeadLetter> ok) {
                DeadLetter d = ok.value();
                String key = d.getKey() == null ? null : StandardCharsets.UTF_8.decode(d.getKey().duplicate()).toString();
                deadByTopic.computeIfAbsent(d.getSourceTopic(), t -> new ArrayList<>()).add(key);
                v.notes.add("dead letter (accounted, not lost): " + d.getService() + " " + d.getSourceTopic() + "@"
                        + d.getPartition() + ":" + d.getOffset() + " key " + key + ": " + d.getReason());
            } else {
                v.problems.add("undecodable dead letter at " + r.partition() + ":" + r.offset());
            }
        }

        // Prompts → pairs.
        Map<String, Integer> pairRecords = new TreeMap<>();
        Map<String, String> pairOfPrompt = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : readAll(kafka, Topics.PAIRS)) {
            if (pairSerde.deserialize(r.topic(), r.value()) instanceof Decoded.Ok<ImagePair> ok) {
                ImagePair p = ok.value();
                pairRecords.merge(p.getPairId(), 1, Integer::sum);
                pairOfPrompt.put(p.getPromptId(), p.getPairId());
                if (!promptIds.contains(p.getPromptId())) {
                    v.problems.add("pair " + p.getPairId() + " for a prompt never sent: " + p.getPromptId());
                }
            } else {
                v.problems.add("undecodable pair at " + r.partition() + ":" + r.offset());
            }
        }
        v.pairs = pairRecords.size();
        Set<String> deadPrompts = new HashSet<>(deadByTopic.getOrDefault(Topics.PROMPTS, List.of()));
        for (String id : new java.util.TreeSet<>(promptIds)) {
            if (!pairOfPrompt.containsKey(id) && !deadPrompts.contains(id)) {
                v.lostPrompts++;
                v.problems.add("LOST prompt " + id + ": no pair, no dead letter");
            }
            if (pairOfPrompt.containsKey(id) && deadPrompts.contains(id)) {
                v.duplicatePairs++;
                v.problems.add("DUPLICATED prompt " + id + ": a pair and a dead letter");
            }
        }
        pairRecords.forEach((id, n) -> {
            if (n > 1) {
                v.duplicatePairs += n - 1;
                v.problems.add("DUPLICATED pair " + id + ": " + n + " committed records");
            }
        });

        // Pairs → labels.
        Map<String, Integer> labelRecords = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : readAll(kafka, Topics.PREFERENCES)) {
            if (labelSerde.deserialize(r.topic(), r.value()) instanceof Decoded.Ok<PreferenceLabel> ok) {
                labelRecords.merge(ok.value().getPairId(), 1, Integer::sum);
                if (!pairRecords.containsKey(ok.value().getPairId())) {
                    v.problems.add("label for an unknown pair " + ok.value().getPairId());
                }
            } else {
                v.problems.add("undecodable label at " + r.partition() + ":" + r.offset());
            }
        }
        v.labels = labelRecords.size();
        Set<String> deadPairs = new HashSet<>(deadByTopic.getOrDefault(Topics.PAIRS, List.of()));
        for (String pair : pairRecords.keySet()) {
            if (!labelRecords.containsKey(pair) && !deadPairs.contains(pair)) {
                v.lostPairs++;
                v.problems.add("LOST label of pair " + pair + ": no label, no dead letter (tie margin is 0)");
            }
            if (labelRecords.containsKey(pair) && deadPairs.contains(pair)) {
                v.duplicateLabels++;
                v.problems.add("DUPLICATED pair " + pair + ": a label and a dead letter");
            }
        }
        labelRecords.forEach((id, n) -> {
            if (n > 1) {
                v.duplicateLabels += n - 1;
                v.problems.add("DUPLICATED label " + id + ": " + n + " committed records");
            }
        });

        // Checkpoints on disk: all verify; lineage of the newest = the labels, each once.
        List<TrainingCheckpoint> local = new CheckpointStore(checkpointRoot).list();
        v.localCheckpoints = local.size();
        Set<String> localVersions = new HashSet<>();
        for (TrainingCheckpoint c : local) {
            localVersions.add(c.version());
            var check = CheckpointVerifier.verify(c.dir());
            if (!check.ok()) {
                v.problems.add("checkpoint " + c.version() + " does not verify: " + check.describe());
            }
        }
        for (ConsumerRecord<String, byte[]> r : readAll(kafka, Topics.CHECKPOINTS)) {
            if (ckptSerde.deserialize(r.topic(), r.value()) instanceof Decoded.Ok<Checkpoint> ok) {
                v.announced++;
                if (!localVersions.contains(ok.value().getVersion())) {
                    v.problems.add("announced checkpoint " + ok.value().getVersion() + " is not on disk");
                }
            }
        }
        Map<String, Integer> lineage = new TreeMap<>();
        if (!local.isEmpty()) {
            String version = local.get(local.size() - 1).version();
            Set<String> seen = new HashSet<>();
            while (version != null && seen.add(version)) {
                Path file = checkpointRoot.resolve(version).resolve("trained_labels.json");
                try {
                    JsonNode root = JSON.readTree(file.toFile());
                    for (String list : List.of("trained", "dead_lettered")) {
                        for (JsonNode n : root.path(list)) {
                            JsonNode pairId = n.get("pair_id");
                            lineage.merge(pairId == null || pairId.isNull() ? "?" : pairId.asText(), 1, Integer::sum);
                        }
                    }
                    JsonNode parent = root.get("parent_version");
                    version = parent == null || parent.isNull() ? null : parent.asText();
                } catch (IOException e) {
                    v.problems.add("lineage broken at " + version + ": " + e.getMessage());
                    version = null;
                }
            }
        }
        v.lineage = lineage.values().stream().mapToInt(Integer::intValue).sum();
        for (String label : labelRecords.keySet()) {
            if (!lineage.containsKey(label)) {
                v.lostInLineage++;
                v.problems.add("LOST in training: label " + label + " is in no checkpoint of the lineage");
            }
        }
        lineage.forEach((id, n) -> {
            if (n > 1) {
                v.duplicateInLineage += n - 1;
                v.problems.add("DUPLICATED in training: label " + id + " " + n + " times in the lineage");
            }
            if (!labelRecords.containsKey(id)) {
                v.problems.add("lineage holds " + id + ", which is no committed label");
            }
        });
        return v;
    }

    /** Every committed record of {@code topic}, from the beginning to its read_committed end. */
    private static List<ConsumerRecord<String, byte[]>> readAll(KafkaSettings kafka, String topic) {
        Properties p = kafka.readCommittedConsumer("unused");
        p.remove("group.id");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(pi -> new TopicPartition(pi.topic(), pi.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            await("read " + topic).atMost(Duration.ofSeconds(60)).pollInSameThread().pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(1)).until(() -> {
                        c.poll(Duration.ofMillis(200)).forEach(out::add);
                        return parts.stream().allMatch(tp -> c.position(tp) >= end.get(tp));
                    });
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String elapsed(Instant t0) {
        Duration d = Duration.between(t0, Instant.now());
        return String.format("%d:%02d", d.toMinutes(), d.toSecondsPart());
    }
}
