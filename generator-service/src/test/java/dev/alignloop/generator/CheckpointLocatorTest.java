package dev.alignloop.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.diffusion.checkpoint.CheckpointException;
import dev.alignloop.diffusion.checkpoint.CheckpointLocator;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.CheckpointStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a checkpoint record points, and whether the folder there is the one the trainer wrote. */
class CheckpointLocatorTest {
    @TempDir
    Path tmp;

    @Test
    void findsAndVerifiesATrainingCheckpoint() {
        Path root = tmp.resolve("ckpt");
        Checkpoint v1 = TestModels.checkpoint(root, "v1", 10, 11, CheckpointStatus.PROMOTED);
        CheckpointLocator resolver = new CheckpointLocator(root, true);
        Path dir = root.resolve("v1").toAbsolutePath().normalize();
        assertEquals(dir, resolver.resolve(published(v1)));
        // Relative URIs resolve against the root, file: or plain.
        assertEquals(dir, resolver.resolve(published(rewrite(v1, "v1"))));
        assertEquals(dir, resolver.resolve(published(rewrite(v1, "file:v1"))));
        // Not at its URI (mounted elsewhere): found by version under the root.
        assertEquals(dir, resolver.resolve(published(rewrite(v1, "file:///mnt/elsewhere/v1"))));
    }

    @Test
    void refusesWhatTheTrainerDidNotWrite() throws IOException {
        Path root = tmp.resolve("ckpt");
        Checkpoint v1 = TestModels.checkpoint(root, "v1", 10, 11, CheckpointStatus.PROMOTED);
        CheckpointLocator resolver = new CheckpointLocator(root, true);

        Checkpoint wrongSha = Checkpoint.newBuilder(v1).setSha256("0".repeat(64)).build();
        assertMessage(resolver, wrongSha, "SHA-256");
        Checkpoint otherVersion = Checkpoint.newBuilder(v1).setVersion("v2").build();
        assertMessage(resolver, otherVersion, "holds version v1");
        assertMessage(resolver, rewrite(v1, "s3://bucket/v1"), "scheme 's3:' is not supported");
        assertMessage(resolver, rewrite(Checkpoint.newBuilder(v1).setVersion("v7").build(), "file:///nowhere/v7"),
                "no folder");

        Files.write(root.resolve("v1/unet/diffusion_pytorch_model.safetensors"), new byte[] {0},
                StandardOpenOption.APPEND);
        Files.writeString(root.resolve("v1/stray.txt"), "?");
        CheckpointException e = assertMessage(resolver, v1, "failed verification");
        assertTrue(e.getMessage().contains("MISMATCH unet/diffusion_pytorch_model.safetensors"), e.getMessage());
        assertTrue(e.getMessage().contains("EXTRA stray.txt"), e.getMessage());
        // Without verification (hand-made folders in development) it is taken as it is.
        assertEquals(root.resolve("v1").toAbsolutePath().normalize(), new CheckpointLocator(root, false).resolve(published(v1)));
    }

    @Test
    void aModelSubfolderIsTheModel() throws IOException {
        Path base = TestModels.baseModel(tmp.resolve("ckpt/v3/model"), 3);
        Checkpoint v3 = TestModels.record("v3", 3, tmp.resolve("ckpt/v3").toUri().toString(), "0".repeat(64),
                CheckpointStatus.PROMOTED);
        assertEquals(base.toAbsolutePath().normalize(), new CheckpointLocator(tmp.resolve("ckpt"), false).resolve(published(v3)));
        assertMessage(new CheckpointLocator(tmp.resolve("ckpt"), true), v3, "manifest.json");
    }

    private static Checkpoint rewrite(Checkpoint c, String uri) {
        return Checkpoint.newBuilder(c).setUri(uri).build();
    }

    private static CheckpointLocator.Published published(Checkpoint c) {
        return new CheckpointLocator.Published(c.getVersion(), c.getUri(), c.getSha256());
    }

    private static CheckpointException assertMessage(CheckpointLocator resolver, Checkpoint c, String part) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> resolver.resolve(published(c)));
        assertTrue(e.getMessage().contains(part), e.getMessage());
        return e;
    }
}
