package dev.alignloop.generator;

import dev.alignloop.diffusion.checkpoint.CheckpointStore;
import dev.alignloop.diffusion.checkpoint.DiffusersWeights;
import dev.alignloop.diffusion.checkpoint.RngState;
import dev.alignloop.diffusion.checkpoint.TrainerState;
import dev.alignloop.diffusion.checkpoint.TrainingCheckpoint;
import dev.alignloop.diffusion.pretrained.TinyPolicyFolder;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.CheckpointStatus;
import dev.alignloop.schemas.avro.PromptRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Tiny random pixel-space models (16x16, UNet blocks [8, 16]) and training checkpoints made from
 * them, in the trainer's real layout ({@link CheckpointStore}: manifest, trainer state, only
 * {@code unet/} for the weights), plus prompt requests. Sampling 4 steps takes milliseconds.
 */
final class TestModels {
    static final int SIZE = 16;
    static final int STEPS = 4;
    /** Prompts of at most 6 of these words fit the 8-token text encoder ([BOS] and [EOS] included). */
    static final List<String> WORDS = List.of("a", "red", "blue", "green", "circle", "square", "above", "below");

    private TestModels() {
    }

    /** Writes a tiny base model folder with weights from {@code seed}. */
    static Path baseModel(Path dir, long seed) {
        return TinyPolicyFolder.write(dir, SIZE, WORDS, seed);
    }

    /**
     * Writes checkpoint {@code version} under {@code root} the way the trainer does: only the UNet
     * (of a tiny model with weights from {@code unetSeed}), the optimizer state, the trainer state
     * and the manifest.
     *
     * @return its record, with the manifest's SHA-256 and a {@code file:} URI
     */
    static Checkpoint checkpoint(Path root, String version, long step, long unetSeed, CheckpointStatus status) {
        Path donor = TinyPolicyFolder.write(root.resolve(".donor-" + version), SIZE, WORDS, unetSeed);
        TrainerState state = new TrainerState(version, "base", step, step, new RngState(1, step), List.of(),
                Map.of("dpo_loss", 0.69), Instant.ofEpochMilli(1_760_000_000_000L + step));
        TrainingCheckpoint written = new CheckpointStore(root).write(state, DiffusersWeights.copyFrom(donor, "unet"),
                "AdamW", Map.of());
        deleteRecursively(donor);
        return record(version, step, written.dir().toUri().toString(), written.sha256(), status);
    }

    /** A checkpoint record. */
    static Checkpoint record(String version, long step, String uri, String sha256, CheckpointStatus status) {
        return Checkpoint.newBuilder().setVersion(version).setParentVersion("base").setUri(uri).setSha256(sha256)
                .setStep(step).setConsumedOffsets(List.of()).setMetrics(Map.of("dpo_loss", 0.69)).setStatus(status)
                .setCreatedAt(Instant.ofEpochMilli(1_760_000_000_000L + step)).build();
    }

    /** The same record with another status (what the eval gate publishes). */
    static Checkpoint withStatus(Checkpoint c, CheckpointStatus status) {
        return Checkpoint.newBuilder(c).setStatus(status).build();
    }

    /** A prompt request without seed or negative prompt. */
    static PromptRequest prompt(String id, String text) {
        return PromptRequest.newBuilder().setId(id).setPrompt(text).setNegativePrompt(null).setSeed(null)
                .setSource("test").setCreatedAt(Instant.ofEpochMilli(1_760_000_000_000L)).build();
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
