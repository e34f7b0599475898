package dev.alignloop.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.diffusion.checkpoint.CheckpointStore;
import dev.alignloop.diffusion.checkpoint.DiffusersWeights;
import dev.alignloop.diffusion.checkpoint.RngState;
import dev.alignloop.diffusion.checkpoint.TrainerState;
import dev.alignloop.diffusion.checkpoint.TrainingCheckpoint;
import dev.alignloop.diffusion.pretrained.TinyPolicyFolder;
import dev.alignloop.reward.onnx.TinyRewardFolder;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.Topics;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.CheckpointStatus;
import dev.alignloop.schemas.avro.EvalDecision;
import dev.alignloop.schemas.avro.EvalResult;
import dev.alignloop.shapes.prompt.PromptGrammar;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate end to end on the real broker with tiny random models: a CANDIDATE checkpoint gets an
 * eval result and a verdict; a tampered one is REJECTED without an eval; decided records are left
 * alone.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GateServiceTest {
    private static final int SIZE = 16;
    /** Prompts the tiny text encoder (8 positions) takes. */
    private static final String PROMPTS = "a red circle\ntwo blue squares\na green triangle\n";

    @TempDir
    static Path tmp;
    static Path base;
    static Path reward;
    static Path checkpoints;

    @BeforeAll
    static void models() throws Exception {
        base = TinyPolicyFolder.write(tmp.resolve("base"), SIZE, PromptGrammar.vocabulary(), 1);
        reward = TinyRewardFolder.write(tmp.resolve("reward"), PromptGrammar.vocabulary(), SIZE, 3);
        checkpoints = tmp.resolve("checkpoints");
        Files.writeString(tmp.resolve("prompts.txt"), PROMPTS);
    }

    private static TrainingCheckpoint candidate(String version, long seed) {
        Path tuned = TinyPolicyFolder.write(tmp.resolve("tuned-" + version), SIZE, PromptGrammar.vocabulary(), seed);
        TrainerState state = new TrainerState(version, null, 4, 4, new RngState(1, 0), List.of(), Map.of(), Instant.EPOCH);
        return new CheckpointStore(checkpoints).write(state, DiffusersWeights.copyFrom(tuned, "unet"), "adamw",
                Map.<String, NDArray>of());
    }

    private static Checkpoint record(TrainingCheckpoint c, CheckpointStatus status, String sha) {
        return Checkpoint.newBuilder().setVersion(c.version()).setParentVersion(null)
                .setUri(c.dir().toUri().toString()).setSha256(sha).setStep(4).setConsumedOffsets(List.of())
                .setMetrics(Map.of("loss", 0.6)).setStatus(status).setCreatedAt(Instant.EPOCH).build();
    }

    @Test
    @Order(1)
    void candidatesGetAVerdictAndBadOnesAreRejected(KafkaTestCluster kafka) throws Exception {
        TrainingCheckpoint good = candidate("ckpt-good", 2);
        TrainingCheckpoint bad = candidate("ckpt-bad", 3);
        Map<String, Object> props = props(kafka);
        try (KafkaProducer<String, Checkpoint> producer = new KafkaProducer<>(kafka.producerProps(),
                new StringSerializer(), AvroSerde.of(Checkpoint.class).serializer())) {
            producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, "ckpt-good", record(good, CheckpointStatus.CANDIDATE, good.sha256())));
            // The record's hash does not match the folder: never evaluated, never served.
            producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, "ckpt-bad", record(bad, CheckpointStatus.CANDIDATE, "0".repeat(64))));
            producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, "old", record(good, CheckpointStatus.REJECTED, good.sha256())));
            producer.flush();
        }
        try (ApplicationContext ctx = ApplicationContext.run(props)) {
            List<EvalResult> evals = kafka.readAll(Topics.EVALS, new StringDeserializer(),
                    AvroSerde.of(EvalResult.class).deserializer(), 1, Duration.ofSeconds(120))
                    .stream().map(r -> r.value()).toList();
            assertEquals(1, evals.size());
            EvalResult e = evals.get(0);
            assertEquals("ckpt-good", e.getCheckpointVersion());
            assertEquals(3, e.getPrompts());
            assertTrue(e.getWinRateLow() <= e.getWinRate() && e.getWinRate() <= e.getWinRateHigh());
            assertNotNull(e.getJudgeWinRate(), "the shapes judge ran");
            assertTrue(Files.isRegularFile(Path.of(java.net.URI.create(e.getGridUri()))), e.getGridUri());

            // Statuses are appended to the same compacted topic: 3 inputs + 2 verdicts.
            Map<String, CheckpointStatus> last = new HashMap<>();
            kafka.readAll(Topics.CHECKPOINTS, new StringDeserializer(), AvroSerde.of(Checkpoint.class).deserializer(),
                    5, Duration.ofSeconds(60)).forEach(r -> last.put(r.key(), r.value().getStatus()));
            assertEquals(e.getDecision() == EvalDecision.PROMOTED ? CheckpointStatus.PROMOTED : CheckpointStatus.REJECTED,
                    last.get("ckpt-good"));
            assertEquals(CheckpointStatus.REJECTED, last.get("ckpt-bad"));
            assertEquals(CheckpointStatus.REJECTED, last.get("old"));
        }
    }

    private static Map<String, Object> props(KafkaTestCluster kafka) {
        Map<String, Object> props = new HashMap<>();
        props.put("alignloop.kafka.bootstrap.servers", kafka.bootstrapServers());
        props.put("alignloop.gate.base-model-dir", base.toString());
        props.put("alignloop.gate.reward-manifest", reward.toString());
        props.put("alignloop.gate.checkpoint-dir", checkpoints.toString());
        props.put("alignloop.gate.prompt-file", tmp.resolve("prompts.txt").toString());
        props.put("alignloop.gate.steps", "2");
        props.put("alignloop.gate.grid-dir", tmp.resolve("grids").toString());
        props.put("alignloop.gate.group-id", kafka.uniqueId("gate"));
        props.put("alignloop.gate.instance-id", kafka.uniqueId("i"));
        props.put("micronaut.server.port", "-1");
        return props;
    }

    @Test
    @Order(2)
    void aRestartedGateKnowsTheServedCheckpointAndHoldsChallengersToIt(KafkaTestCluster kafka) throws Exception {
        EvalResult champion = EvalResult.newBuilder().setCheckpointVersion("ckpt-champion").setBaselineVersion("base")
                .setPrompts(3).setWinRate(1.0).setWinRateLow(0.4).setWinRateHigh(1.0).setMeanReward(1.0)
                .setMeanRewardBaseline(0.0).setJudgeWinRate(1.0).setDecision(EvalDecision.PROMOTED)
                .setReason("test").setEvaluatedAt(Instant.EPOCH).build();
        TrainingCheckpoint challenger = candidate("ckpt-challenger", 5);
        try (KafkaProducer<String, EvalResult> evals = new KafkaProducer<>(kafka.producerProps(), new StringSerializer(),
                AvroSerde.of(EvalResult.class).serializer());
             KafkaProducer<String, Checkpoint> ckpts = new KafkaProducer<>(kafka.producerProps(), new StringSerializer(),
                AvroSerde.of(Checkpoint.class).serializer())) {
            evals.send(new ProducerRecord<>(Topics.EVALS, "ckpt-champion", champion)).get();
            ckpts.send(new ProducerRecord<>(Topics.CHECKPOINTS, "ckpt-challenger",
                    record(challenger, CheckpointStatus.CANDIDATE, challenger.sha256()))).get();
        }
        Map<String, Object> props = props(kafka);
        // A rule every candidate passes: only the incumbent can stop this one.
        props.put("alignloop.gate.min-reward-win-rate", "0");
        props.put("alignloop.gate.min-judge-win-rate", "0");
        props.put("alignloop.gate.hacking-epsilon", "1");
        // A new group re-reads the topic: ckpt-good of the first test is evaluated again (against the
        // champion), then the challenger: 1 + 1 + 1 + 1 eval results in all.
        try (ApplicationContext ctx = ApplicationContext.run(props)) {
            assertEquals(new Incumbent("ckpt-champion", 1.0, "judge"),
                    ctx.getBean(CheckpointGate.class).incumbent().orElseThrow(), "restored from alignloop.evals");
            EvalResult verdict = kafka.readAll(Topics.EVALS, new StringDeserializer(),
                    AvroSerde.of(EvalResult.class).deserializer(), 4, Duration.ofSeconds(180)).stream()
                    .map(r -> r.value()).filter(v -> v.getCheckpointVersion().equals("ckpt-challenger"))
                    .findFirst().orElseThrow();
            assertEquals(EvalDecision.REJECTED, verdict.getDecision(), verdict.getReason());
            assertTrue(verdict.getReason().contains("below the promoted ckpt-champion's 100.0%"), verdict.getReason());
        }
    }
}
