package dev.alignloop.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.common.blob.BlobStore;
import dev.alignloop.common.blob.BlobStoreOptions;
import dev.alignloop.common.blob.BlobStores;
import dev.alignloop.common.image.Png;
import dev.alignloop.generator.policy.PolicyListener;
import dev.alignloop.generator.policy.PolicyManager;
import dev.alignloop.schemas.avro.BlobRef;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PromptRequest;
import dev.alignloop.streaming.InputRecord;
import dev.alignloop.streaming.eos.Outcome;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PairGenerator} alone: a tiny policy, a file blob store, no Kafka. */
class PairGeneratorTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-02T03:04:05.678Z"), ZoneOffset.UTC);

    @TempDir
    static Path tmp;
    private static GeneratorConfig config;
    private static PolicyManager policies;
    private static BlobStore blobs;

    @BeforeAll
    static void setUp() {
        Path model = TestModels.baseModel(tmp.resolve("base"), 3);
        config = GeneratorConfig.defaults().withModelDir(model).withSampling(TestModels.STEPS, null);
        policies = new PolicyManager(config, PolicyListener.NONE);
        policies.start();
        blobs = BlobStores.open(tmp.resolve("blobs").toUri().toString(), BlobStoreOptions.defaults());
    }

    @AfterAll
    static void tearDown() {
        policies.close();
        blobs.close();
    }

    @Test
    void everyValidPromptGetsAPairOfTwoStoredImages() {
        PairGenerator generator = new PairGenerator(config, policies, blobs, CLOCK);
        List<Outcome<ImagePair>> out = generator.generate(records(
                TestModels.prompt("p1", "a red circle"), TestModels.prompt("p2", "a blue square above a circle"),
                TestModels.prompt("p3", "green")));
        assertEquals(3, out.size());
        for (int i = 0; i < 3; i++) {
            Outcome.Emit<ImagePair> emit = assertInstanceOf(Outcome.Emit.class, out.get(i));
            assertEquals(1, emit.outputs().size());
            ImagePair pair = emit.outputs().get(0).value();
            assertEquals("pair-p" + (i + 1), pair.getPairId());
            assertEquals(pair.getPairId(), emit.outputs().get(0).key());
            assertEquals(config.outputTopic(), emit.outputs().get(0).topic());
            assertEquals("base", pair.getPolicyVersion());
            assertEquals("ddim", pair.getSampler().getName());
            assertEquals(TestModels.STEPS, pair.getSampler().getSteps());
            assertEquals(CLOCK.instant(), pair.getCreatedAt());
            assertNotEquals(pair.getImageA().getSha256(), pair.getImageB().getSha256(), "two seeds, two images");
            decode(pair.getImageA());
            decode(pair.getImageB());
        }
    }

    @Test
    void theSameRequestGivesTheSameImages() {
        PairGenerator generator = new PairGenerator(config, policies, blobs, CLOCK);
        PromptRequest request = TestModels.prompt("again", "a red square");
        ImagePair first = pair(generator.generate(records(request)).get(0));
        // In another batch, at another position: images do not depend on the batch.
        ImagePair second = pair(generator.generate(records(TestModels.prompt("x", "a blue circle"), request)).get(1));
        assertEquals(first.getImageA(), second.getImageA());
        assertEquals(first.getImageB(), second.getImageB());
        assertEquals(first.getSampler(), second.getSampler());
    }

    @Test
    void aGivenSeedIsImageAsSeed() {
        PromptRequest seeded = PromptRequest.newBuilder(TestModels.prompt("s", "a red circle")).setSeed(1234L).build();
        PairSeeds seeds = PairSeeds.of(seeded);
        assertEquals(1234L, seeds.seedA());
        assertNotEquals(seeds.seedA(), seeds.seedB());
        assertEquals(PairSeeds.of(TestModels.prompt("id-1", "x")), PairSeeds.of(TestModels.prompt("id-1", "y")),
                "without a seed, the prompt id decides");
        assertNotEquals(PairSeeds.of(TestModels.prompt("id-1", "x")), PairSeeds.of(TestModels.prompt("id-2", "x")));
    }

    @Test
    void badPromptsAreRejectedAndTheRestOfTheBatchGoesOn() {
        PairGenerator generator = new PairGenerator(config, policies, blobs, CLOCK);
        PromptRequest negative = PromptRequest.newBuilder(TestModels.prompt("n", "a red circle"))
                .setNegativePrompt("purple").build();
        List<Outcome<ImagePair>> out = generator.generate(records(
                TestModels.prompt("e", "  "),
                TestModels.prompt("u", "a purple circle"),
                TestModels.prompt("l", "a red circle above a blue square"), // 7 words + [BOS] + [EOS] > 8
                negative,
                TestModels.prompt("ok", "a red circle")));
        assertTrue(reason(out.get(0)).contains("empty prompt"), reason(out.get(0)));
        assertTrue(reason(out.get(1)).contains("purple"), reason(out.get(1)));
        assertTrue(reason(out.get(2)).contains("too long"), reason(out.get(2)));
        assertTrue(reason(out.get(3)).startsWith("invalid negative prompt"), reason(out.get(3)));
        assertEquals("pair-ok", pair(out.get(4)).getPairId());
    }

    @Test
    void guidanceBChangesOnlyImageB() {
        PairGenerator same = new PairGenerator(config, policies, blobs, CLOCK);
        PairGenerator varied = new PairGenerator(config.withSampling(TestModels.STEPS, 7.0), policies, blobs, CLOCK);
        PromptRequest request = TestModels.prompt("g", "a blue circle");
        ImagePair a = pair(same.generate(records(request)).get(0));
        ImagePair b = pair(varied.generate(records(request)).get(0));
        assertEquals(a.getImageA(), b.getImageA());
        assertNotEquals(a.getImageB().getSha256(), b.getImageB().getSha256());
    }

    @Test
    void aBlobStoreFailureIsThrownForARetry() {
        BlobStore closed = BlobStores.open(tmp.resolve("ro").toUri().toString(), BlobStoreOptions.defaults());
        PairGenerator generator = new PairGenerator(config, policies, new FailingStore(closed), CLOCK);
        assertThrows(IllegalStateException.class,
                () -> generator.generate(records(TestModels.prompt("f", "a red circle"))));
        closed.close();
    }

    @Test
    void storedImagesAreTheSampledOnesInOrderAcrossABatch() {
        PairGenerator generator = new PairGenerator(config, policies, blobs, CLOCK);
        List<PromptRequest> requests = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            requests.add(TestModels.prompt("order-" + i, i % 2 == 0 ? "a red circle" : "a blue square"));
        }
        List<Outcome<ImagePair>> out = generator.generate(records(requests.toArray(PromptRequest[]::new)));
        List<String> prompts = new ArrayList<>();
        long[] seeds = new long[10];
        for (int i = 0; i < 5; i++) {
            prompts.add(requests.get(i).getPrompt());
            seeds[i] = PairSeeds.of(requests.get(i)).seedA();
            seeds[5 + i] = PairSeeds.of(requests.get(i)).seedB();
        }
        prompts.addAll(List.copyOf(prompts));
        List<BufferedImage> expected;
        try (var lease = policies.acquire()) {
            expected = lease.policy().generate(prompts, seeds,
                    new dev.alignloop.diffusion.pretrained.SamplingOptions(config.steps(), config.guidance(), null,
                            config.eta()));
        }
        for (int i = 0; i < 5; i++) {
            ImagePair p = pair(out.get(i));
            assertEquals("pair-order-" + i, p.getPairId());
            assertEquals(blobs.put(Png.encode(expected.get(i)), "image/png").uri(), p.getImageA().getUri(), "A of " + i);
            assertEquals(blobs.put(Png.encode(expected.get(5 + i)), "image/png").uri(), p.getImageB().getUri(),
                    "B of " + i);
        }
    }

    static List<InputRecord<PromptRequest>> records(PromptRequest... requests) {
        List<InputRecord<PromptRequest>> out = new ArrayList<>();
        for (int i = 0; i < requests.length; i++) {
            out.add(new InputRecord<>("alignloop.prompts", 0, i, 0L, requests[i].getId(), requests[i]));
        }
        return out;
    }

    static ImagePair pair(Outcome<ImagePair> outcome) {
        Outcome.Emit<?> emit = assertInstanceOf(Outcome.Emit.class, outcome, () -> "not emitted: " + outcome);
        return (ImagePair) emit.outputs().get(0).value();
    }

    private static String reason(Outcome<ImagePair> outcome) {
        return assertInstanceOf(Outcome.Reject.class, outcome, () -> "not rejected: " + outcome).reason();
    }

    private static void decode(BlobRef ref) {
        assertEquals("image/png", ref.getMediaType());
        BufferedImage image = Png.decode(blobs.get(ref.getUri(), ref.getSha256()), TestModels.SIZE, TestModels.SIZE);
        assertEquals(ref.getWidth(), image.getWidth());
        assertEquals(ref.getHeight(), image.getHeight());
    }

    /** A blob store whose writes fail, as when S3 is unreachable. */
    private record FailingStore(BlobStore delegate) implements BlobStore {
        @Override
        public String baseUri() {
            return delegate.baseUri();
        }

        @Override
        public dev.alignloop.common.blob.StoredBlob put(byte[] data, String mediaType) {
            throw new IllegalStateException("blob store unreachable");
        }

        @Override
        public dev.alignloop.common.blob.StoredBlob put(Path file, String mediaType) {
            throw new IllegalStateException("blob store unreachable");
        }

        @Override
        public byte[] get(String uri, String sha256) {
            return delegate.get(uri, sha256);
        }

        @Override
        public void download(String uri, String sha256, Path target) {
            delegate.download(uri, sha256, target);
        }

        @Override
        public boolean exists(String uri) {
            return delegate.exists(uri);
        }

        @Override
        public boolean delete(String uri) {
            return delegate.delete(uri);
        }

        @Override
        public java.util.stream.Stream<dev.alignloop.common.blob.BlobInfo> list() {
            return delegate.list();
        }

        @Override
        public void close() {
        }
    }
}
