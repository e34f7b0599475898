package dev.alignloop.diffusion.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.optim.AdamW;
import dev.alignloop.diffusion.optim.AdamWConfig;
import dev.alignloop.diffusion.optim.Adafactor;
import dev.alignloop.diffusion.optim.AdafactorConfig;
import dev.alignloop.diffusion.unet.UNet2DConditionModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    @TempDir
    Path tmp;

    private NDManager manager;
    private Path root;
    private Path base;

    @BeforeEach
    void setUp() throws IOException {
        manager = NDManager.newBaseManager();
        root = tmp.resolve("checkpoints");
        base = tmp.resolve("base");
        Files.createDirectories(base.resolve("unet"));
        Files.createDirectories(base.resolve("scheduler"));
        Files.writeString(base.resolve("unet/config.json"), "{\"_class_name\": \"UNet2DConditionModel\"}");
        Files.writeString(base.resolve("scheduler/scheduler_config.json"), "{\"prediction_type\": \"epsilon\"}");
        Files.writeString(base.resolve("model_index.json"), "{\"_class_name\": \"StableDiffusionPipeline\"}");
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private Map<String, NDArray> weights(float seed) {
        Map<String, NDArray> w = new LinkedHashMap<>();
        w.put("conv_in.weight", manager.create(new float[] {seed, seed + 1, seed + 2, seed + 3}, new Shape(1, 1, 2, 2)));
        w.put("conv_in.bias", manager.create(new float[] {seed / 2}));
        return w;
    }

    private WeightsWriter writer(Map<String, NDArray> w) {
        return DiffusersWeights.all(DiffusersWeights.component("unet", w, base.resolve("unet/config.json")),
                DiffusersWeights.copyFrom(base, "model_index.json", "scheduler"));
    }

    private static TrainerState state(String version, String parent, long step) {
        return new TrainerState(version, parent, step, step, new RngState(42, step * 4),
                List.of(new TopicOffset("alignloop.preferences", 0, 100 + step), new TopicOffset("alignloop.preferences", 1, 7 * step)),
                Map.of("loss", 0.69, "implicit_acc", 0.5), Instant.parse("2026-01-02T03:04:05Z").plusSeconds(step));
    }

    private TrainingCheckpoint writeEmpty(CheckpointStore store, String version, String parent, long step) {
        return store.write(state(version, parent, step), writer(weights(step)), "AdamW", Map.of());
    }

    @Test
    void resumeRestoresStepOptimizerStateAndOffsetsIdentically() {
        Map<String, NDArray> params = weights(1f);
        Map<String, NDArray> grads = Map.of("conv_in.weight", manager.create(new float[] {0.1f, -0.2f, 0.3f, 0.4f}, new Shape(1, 1, 2, 2)),
                "conv_in.bias", manager.create(new float[] {1f}));
        CheckpointStore store = new CheckpointStore(root);
        try (AdamW opt = new AdamW(AdamWConfig.defaults(), manager); AdamW resumed = new AdamW(AdamWConfig.defaults(), manager)) {
            opt.step(params, grads, 1e-2);
            opt.step(params, grads, 1e-2);
            TrainerState s = state("v000002", "v000000", 2);
            TrainingCheckpoint written = store.write(s, writer(params), opt);
            assertEquals(root.resolve("v000002"), written.dir());
            // diffusers folder layout
            assertTrue(Files.isRegularFile(written.dir().resolve("unet/diffusion_pytorch_model.safetensors")));
            assertTrue(Files.isRegularFile(written.dir().resolve("unet/config.json")));
            assertTrue(Files.isRegularFile(written.dir().resolve("scheduler/scheduler_config.json")));
            assertTrue(Files.isRegularFile(written.dir().resolve("model_index.json")));

            TrainingCheckpoint loaded = store.latest().orElseThrow();
            assertEquals(s, loaded.state());
            TrainingCheckpoint opened = store.open("v000002");
            assertEquals(s, opened.state());
            assertEquals(List.of(new TopicOffset("alignloop.preferences", 0, 102), new TopicOffset("alignloop.preferences", 1, 14)),
                    opened.state().consumedOffsets());
            assertEquals("v000000", opened.state().parentVersion());
            assertEquals(64, opened.sha256().length());

            Map<String, NDArray> restored = opened.stateDict("unet", manager);
            opened.restore(resumed, manager);
            assertEquals(opt.stateDict().keySet(), resumed.stateDict().keySet());
            for (String k : opt.stateDict().keySet()) {
                assertArrayEquals(opt.stateDict().get(k).toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray(),
                        resumed.stateDict().get(k).toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray(), k);
            }
            // one more step on both sides gives bit-identical weights
            opt.step(params, grads, 1e-2);
            resumed.step(restored, grads, 1e-2);
            for (String k : params.keySet()) {
                assertArrayEquals(params.get(k).toFloatArray(), restored.get(k).toFloatArray(), k);
            }
            try (Adafactor other = new Adafactor(AdafactorConfig.defaults(), manager)) {
                CheckpointException e = assertThrows(CheckpointException.class, () -> opened.restore(other, manager));
                assertTrue(e.getMessage().contains("AdamW"), e.getMessage());
            }
        }
    }

    @Test
    void realUnetRoundTripsThroughACheckpointAsADiffusersFolder() {
        Path model = Path.of(System.getProperty("alignloop.parity.dir", "../parity"), "dpo-step-sd15-tiny", "policy");
        UNet2DConditionModel unet = UNet2DConditionModel.fromPretrained(model.resolve("unet"), manager);
        CheckpointStore store = new CheckpointStore(root);
        TrainingCheckpoint c = store.write(state("v1", null, 1),
                DiffusersWeights.all(DiffusersWeights.unet(unet), DiffusersWeights.copyFrom(model, "model_index.json", "scheduler")),
                "AdamW", Map.of());
        assertTrue(Files.isRegularFile(c.dir().resolve("model_index.json")));
        assertTrue(Files.isRegularFile(c.dir().resolve("scheduler/scheduler_config.json")));
        UNet2DConditionModel back = UNet2DConditionModel.fromPretrained(store.open("v1").dir().resolve("unet"), manager);
        assertEquals(unet.config(), back.config());
        Map<String, NDArray> a = unet.stateDict();
        Map<String, NDArray> b = back.stateDict();
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, v) -> assertArrayEquals(v.toFloatArray(), b.get(k).toFloatArray(), k));
    }

    @Test
    void crashBeforeRenameLeavesNoVisibleCheckpoint() throws IOException {
        CheckpointStore good = new CheckpointStore(root);
        writeEmpty(good, "v1", null, 1);
        CheckpointStore crashing = new CheckpointStore(root, () -> {
            throw new IllegalStateException("simulated crash before rename");
        });
        CheckpointException e = assertThrows(CheckpointException.class, () -> writeEmpty(crashing, "v2", "v1", 2));
        assertTrue(e.getMessage().contains("simulated crash"), e.getMessage());
        assertFalse(Files.exists(root.resolve("v2")));
        assertFalse(Files.exists(root.resolve(".tmp-v2")));
        assertEquals("v1", good.latest().orElseThrow().version());

        // a writer dying half-way through the weights
        WeightsWriter dies = dir -> {
            Files.createDirectories(dir.resolve("unet"));
            Files.writeString(dir.resolve("unet/diffusion_pytorch_model.safetensors"), "partial");
            throw new IOException("disk full");
        };
        assertThrows(CheckpointException.class, () -> good.write(state("v2", "v1", 2), dies, "AdamW", Map.of()));
        assertFalse(Files.exists(root.resolve("v2")));
        assertEquals(List.of("v1"), good.list().stream().map(TrainingCheckpoint::version).toList());

        // a kill -9 leaves the temp folder behind: readers ignore it, start-up cleans it, the version can be rewritten
        Path leftover = root.resolve(".tmp-v2");
        Files.createDirectories(leftover.resolve("unet"));
        Files.writeString(leftover.resolve(CheckpointLayout.TRAINER_STATE), "{}");
        assertEquals("v1", good.latest().orElseThrow().version());
        assertEquals(List.of(leftover), good.cleanTemporary());
        assertEquals("v2", writeEmpty(good, "v2", "v1", 2).version());
        assertEquals("v2", good.latest().orElseThrow().version());
    }

    @Test
    void tamperingIsReportedFileByFile() throws IOException {
        CheckpointStore store = new CheckpointStore(root);
        writeEmpty(store, "v1", null, 1);
        TrainingCheckpoint v2 = writeEmpty(store, "v2", "v1", 2);
        assertTrue(CheckpointVerifier.verify(v2.dir()).ok());
        assertEquals(6, CheckpointVerifier.verify(v2.dir()).filesChecked());

        Path w = v2.dir().resolve("unet/diffusion_pytorch_model.safetensors");
        byte[] bytes = Files.readAllBytes(w);
        bytes[bytes.length - 1] ^= 1;
        Files.write(w, bytes);
        Files.delete(v2.dir().resolve(CheckpointLayout.OPTIMIZER));
        Files.writeString(v2.dir().resolve("unet/extra.bin"), "x");

        CheckpointVerifier.Report report = CheckpointVerifier.verify(v2.dir());
        assertFalse(report.ok());
        assertEquals(List.of(
                new CheckpointVerifier.Problem(CheckpointVerifier.ProblemKind.MISSING, "optimizer.safetensors", ""),
                new CheckpointVerifier.Problem(CheckpointVerifier.ProblemKind.MISMATCH, "unet/diffusion_pytorch_model.safetensors",
                        report.problems().get(1).detail()),
                new CheckpointVerifier.Problem(CheckpointVerifier.ProblemKind.EXTRA, "unet/extra.bin", "not in manifest")),
                report.problems());
        assertTrue(report.problems().get(1).detail().startsWith("sha256 "));
        CheckpointException e = assertThrows(CheckpointException.class, () -> store.open("v2"));
        assertTrue(e.getMessage().contains("unet/extra.bin") && e.getMessage().contains("optimizer.safetensors"), e.getMessage());
        // the unverified view still says v2 is newest; the verified view falls back to v1
        assertEquals("v2", store.latest().orElseThrow().version());
        assertEquals("v1", store.latestVerified().orElseThrow().version());

        Files.delete(v2.dir().resolve(CheckpointLayout.MANIFEST));
        assertEquals(CheckpointVerifier.ProblemKind.MANIFEST, CheckpointVerifier.verify(v2.dir()).problems().get(0).kind());
        // without a manifest it is not a checkpoint at all
        assertEquals(List.of("v1"), store.list().stream().map(TrainingCheckpoint::version).toList());
    }

    @Test
    void retentionKeepsLastKAndPromoted() {
        CheckpointStore store = new CheckpointStore(root);
        for (int i = 0; i < 6; i++) {
            writeEmpty(store, "v" + i, i == 0 ? null : "v" + (i - 1), i);
        }
        assertEquals(List.of("v0", "v2", "v3"), store.retain(2, Set.of("v1")));
        assertEquals(List.of("v1", "v4", "v5"), store.list().stream().map(TrainingCheckpoint::version).toList());
        assertEquals(List.of(), store.retain(2, Set.of("v1")));
        assertThrows(IllegalArgumentException.class, () -> store.retain(0, Set.of()));
    }

    @Test
    void latestIsByStepAndVersionsAreUniqueAndSafe() {
        CheckpointStore store = new CheckpointStore(root);
        assertTrue(store.latest().isEmpty());
        writeEmpty(store, "b-step10", null, 10);
        writeEmpty(store, "a-step20", "b-step10", 20);
        assertEquals("a-step20", store.latest().orElseThrow().version());
        CheckpointException dup = assertThrows(CheckpointException.class, () -> writeEmpty(store, "a-step20", null, 30));
        assertTrue(dup.getMessage().contains("already exists"));
        assertThrows(IllegalArgumentException.class, () -> state("../evil", null, 1));
        assertThrows(IllegalArgumentException.class, () -> state(".tmp-x", null, 1));
        assertThrows(CheckpointException.class, () -> store.open("../x"));
    }

    @Test
    void trainerStateJsonRoundTripsAndNamesBadFields() throws IOException {
        TrainerState s = new TrainerState("v7", null, 7, 9, new RngState(-3, 28), List.of(), Map.of(), Instant.EPOCH);
        Path f = tmp.resolve("trainer_state.json");
        Files.write(f, TrainerStateJson.write(s));
        TrainerState back = TrainerStateJson.read(f);
        assertEquals(s, back);
        assertNull(back.parentVersion());
        Files.writeString(f, Files.readString(f).replace("\"step\" : 7", "\"step\" : \"seven\""));
        CheckpointException e = assertThrows(CheckpointException.class, () -> TrainerStateJson.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("'step'"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new TrainerState("v", null, 0, 0, new RngState(0, 0), List.of(), Map.of("loss", Double.NaN), Instant.EPOCH));
    }
}
