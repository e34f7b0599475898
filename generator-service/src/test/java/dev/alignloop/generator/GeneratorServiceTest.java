package dev.alignloop.generator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.common.image.Png;
import dev.alignloop.generator.policy.PolicyManager;
import dev.alignloop.schemas.avro.BlobRef;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.CheckpointStatus;
import dev.alignloop.schemas.avro.DeadLetter;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PromptRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The generator service end to end through the real (embedded) broker. */
@ExtendWith(KafkaBrokerExtension.class)
class GeneratorServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void everyPromptGetsOnePairOfTwoStoredPngs(KafkaTestCluster kafka) {
        try (GeneratorFixture world = new GeneratorFixture(kafka, tmp)) {
            world.start(Map.of("alignloop.generator.hot-swap", false));
            int n = 10;
            for (int i = 0; i < n; i++) {
                world.send(TestModels.prompt("p" + i, List.of("a red circle", "a blue square", "green").get(i % 3)));
            }
            List<ImagePair> pairs = world.pairs(n);
            assertEquals(n, pairs.size());
            assertEquals(n, pairs.stream().map(ImagePair::getPairId).distinct().count(), "pair ids are unique");
            assertEquals(Stream.iterate(0, i -> i + 1).limit(n).map(i -> "pair-p" + i).collect(Collectors.toSet()),
                    pairs.stream().map(ImagePair::getPairId).collect(Collectors.toSet()));
            Set<String> uris = new HashSet<>();
            for (ImagePair pair : pairs) {
                assertEquals("base", pair.getPolicyVersion());
                for (BlobRef ref : List.of(pair.getImageA(), pair.getImageB())) {
                    Png.decode(world.blobs.get(ref.getUri(), ref.getSha256()), TestModels.SIZE, TestModels.SIZE);
                    uris.add(ref.getUri());
                }
            }
            assertEquals(2 * n, uris.size());
            try (var stored = world.blobs.list()) {
                assertEquals(2 * n, stored.count(), "2N blobs in the store, nothing else");
            }
            GeneratorMetrics metrics = world.bean(GeneratorMetrics.class);
            await().atMost(WAIT).until(() -> metrics.imagesCommitted() == 2.0 * n);
            String prometheus = world.get("/prometheus");
            assertTrue(prometheus.contains("alignloop_generator_images_total{service=\"generator-service\"} " + 2 * n
                    + ".0"), prometheus);
            assertTrue(prometheus.contains("alignloop_generator_policy_info{service=\"generator-service\","
                    + "version=\"base\"} 1"), prometheus);
            assertTrue(world.get("/health").contains("UP"), world.get("/health"));
        }
    }

    @Test
    void badPromptsGoToTheDeadLetterTopicAndTheNextIsProcessed(KafkaTestCluster kafka) {
        try (GeneratorFixture world = new GeneratorFixture(kafka, tmp)) {
            world.start(Map.of("alignloop.generator.hot-swap", false));
            world.send(TestModels.prompt("empty", ""));
            world.send(TestModels.prompt("unknown", "a purple circle"));
            world.send(TestModels.prompt("long", "a red circle above a blue square"));
            world.send(TestModels.prompt("fine", "a red circle"));
            List<ImagePair> pairs = world.pairs(1);
            assertEquals("pair-fine", pairs.get(0).getPairId());
            List<DeadLetter> dead = world.deadLetters(3);
            Map<String, String> reasons = dead.stream().collect(Collectors.toMap(
                    d -> java.nio.charset.StandardCharsets.UTF_8.decode(d.getKey().duplicate()).toString(),
                    DeadLetter::getReason));
            assertTrue(reasons.get("empty").contains("empty prompt"), reasons.toString());
            assertTrue(reasons.get("unknown").contains("purple"), reasons.toString());
            assertTrue(reasons.get("long").contains("too long"), reasons.toString());
            for (DeadLetter d : dead) {
                assertEquals(world.promptsTopic, d.getSourceTopic());
                assertEquals(GeneratorWorker.SERVICE, d.getService());
            }
        }
    }

    @Test
    void aPromotedCheckpointServesTheNextBatchesAndOthersAreNeverLoaded(KafkaTestCluster kafka) {
        try (GeneratorFixture world = new GeneratorFixture(kafka, tmp)) {
            Path root = world.checkpoints;
            Checkpoint rejected = TestModels.checkpoint(root, "v-rejected", 50, 21, CheckpointStatus.REJECTED);
            Checkpoint candidate = TestModels.checkpoint(root, "v-candidate", 60, 22, CheckpointStatus.CANDIDATE);
            Checkpoint corrupt = TestModels.record("v-corrupt", 40,
                    TestModels.checkpoint(root, "v-corrupt", 40, 23, CheckpointStatus.PROMOTED).getUri(),
                    "0".repeat(64), CheckpointStatus.PROMOTED); // its manifest has another SHA-256
            Checkpoint v1 = TestModels.checkpoint(root, "v1", 10, 24, CheckpointStatus.PROMOTED);
            world.publish(rejected, candidate, corrupt);
            world.start(Map.of());
            GeneratorMetrics metrics = world.bean(GeneratorMetrics.class);
            PolicyManager policies = world.bean(PolicyManager.class);
            // Caught up before consuming: the corrupt one was tried (and refused), the others ignored.
            assertEquals(1.0, metrics.failedLoads());
            assertEquals("base", policies.currentVersion().name());

            PromptRequest same = TestModels.prompt("same", "a blue circle");
            world.send(same);
            ImagePair before = world.pairs(1).get(0);
            assertEquals("base", before.getPolicyVersion());

            world.publish(v1);
            await().atMost(WAIT).until(() -> policies.currentVersion().name().equals("v1"));
            world.send(PromptRequest.newBuilder(same).setId("same-2").build(), same);
            List<ImagePair> all = world.pairs(3);
            assertEquals(1, all.stream().filter(p -> p.getPolicyVersion().equals("base")).count(), all.toString());
            List<ImagePair> after = all.stream().filter(p -> p.getPolicyVersion().equals("v1")).toList();
            assertEquals(Set.of("pair-same", "pair-same-2"),
                    after.stream().map(ImagePair::getPairId).collect(Collectors.toSet()));
            ImagePair again = after.stream().filter(p -> p.getPairId().equals("pair-same")).findFirst().orElseThrow();
            assertNotEquals(before.getImageA().getSha256(), again.getImageA().getSha256(), "v1's UNet sampled it");
            assertTrue(world.get("/prometheus").contains("version=\"v1\"} 1"));

            // The eval gate promotes the candidate later: a status change of the same version.
            world.publish(TestModels.withStatus(candidate, CheckpointStatus.PROMOTED));
            await().atMost(WAIT).until(() -> policies.currentVersion().name().equals("v-candidate"));
            world.send(TestModels.prompt("last", "green"));
            assertEquals("v-candidate", world.pairs(4).stream().filter(p -> p.getPairId().equals("pair-last"))
                    .findFirst().orElseThrow().getPolicyVersion());
            assertEquals(1.0, metrics.failedLoads(), "the corrupt checkpoint is not retried");
        }
    }

    @Test
    void aBaseModelThatDoesNotLoadTurnsHealthDown(KafkaTestCluster kafka) {
        try (GeneratorFixture world = new GeneratorFixture(kafka, tmp)) {
            world.start(Map.of(GeneratorServer.MODEL_DIR, tmp.resolve("missing").toString()));
            assertEquals(dev.alignloop.streaming.eos.ProcessorState.FAILED, world.bean(GeneratorWorker.class).state());
            String health = world.get("/health");
            assertTrue(health.contains("DOWN") && health.contains("FAILED"), health);
        }
    }

    @Test
    void theSamePromptIdGivesTheSameImages(KafkaTestCluster kafka) {
        try (GeneratorFixture world = new GeneratorFixture(kafka, tmp)) {
            world.start(Map.of("alignloop.generator.hot-swap", false));
            PromptRequest request = TestModels.prompt("det", "a red square");
            world.send(TestModels.prompt("other-1", "a blue circle"), request);
            ImagePair first = world.pairs(2).stream().filter(p -> p.getPairId().equals("pair-det")).findFirst()
                    .orElseThrow();
            world.send(request);
            List<ImagePair> all = world.pairs(3);
            List<ImagePair> det = all.stream().filter(p -> p.getPairId().equals("pair-det")).toList();
            assertEquals(2, det.size());
            assertEquals(first.getImageA(), det.get(1).getImageA());
            assertEquals(first.getImageB(), det.get(1).getImageB());
            assertEquals(first.getSampler(), det.get(1).getSampler());
        }
    }
}
