package dev.alignloop.shapes.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShapesArtifactsTest {

    private static Path fakeBase(Path root) throws IOException {
        Path dir = root.resolve("models/shapes-base");
        Files.createDirectories(dir.resolve("unet"));
        Files.writeString(dir.resolve("model_index.json"), "{}");
        Files.write(dir.resolve("unet/diffusion_pytorch_model.safetensors"), new byte[] {1, 2, 3, 4});
        Files.writeString(dir.resolve(ShapesArtifacts.README), "notes");
        return dir;
    }

    @Test
    void checksumsListEveryFileButReadmeAndVerify(@TempDir Path root) throws IOException {
        Path dir = fakeBase(root);
        Path list = ShapesArtifacts.writeChecksums(dir);
        List<String> lines = Files.readAllLines(list);
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).endsWith("  model_index.json"), lines.get(0));
        assertTrue(lines.get(1).endsWith("  unet/diffusion_pytorch_model.safetensors"), lines.get(1));
        assertEquals(2, ShapesArtifacts.verify(dir, ShapesArtifacts.Artifact.BASE));
        Files.writeString(dir.resolve(ShapesArtifacts.README), "edited by hand"); // not checksummed
        assertEquals(2, ShapesArtifacts.verify(dir, ShapesArtifacts.Artifact.BASE));
    }

    @Test
    void tamperedFileIsNamedWithTheRegenerateCommand(@TempDir Path root) throws IOException {
        Path dir = fakeBase(root);
        ShapesArtifacts.writeChecksums(dir);
        Path weights = dir.resolve("unet/diffusion_pytorch_model.safetensors");
        Files.write(weights, new byte[] {1, 2, 3, 5});
        ArtifactChecksumException e = assertThrows(ArtifactChecksumException.class,
                () -> ShapesArtifacts.verify(dir, ShapesArtifacts.Artifact.BASE));
        assertEquals(weights, e.file());
        assertTrue(e.getMessage().contains("unet/diffusion_pytorch_model.safetensors"), e.getMessage());
        assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains("`./alignloop pretrain base`"), e.getMessage());
    }

    @Test
    void missingFilesAndListsAreErrorsToo(@TempDir Path root) throws IOException {
        Path dir = fakeBase(root);
        ArtifactChecksumException noList = assertThrows(ArtifactChecksumException.class,
                () -> ShapesArtifacts.verify(dir, ShapesArtifacts.Artifact.REWARD));
        assertTrue(noList.getMessage().contains(ShapesArtifacts.CHECKSUMS)
                && noList.getMessage().contains("`./alignloop pretrain reward`"), noList.getMessage());
        ShapesArtifacts.writeChecksums(dir);
        Files.delete(dir.resolve("model_index.json"));
        ArtifactChecksumException missing = assertThrows(ArtifactChecksumException.class,
                () -> ShapesArtifacts.verify(dir, ShapesArtifacts.Artifact.BASE));
        assertTrue(missing.getMessage().contains("model_index.json: missing"), missing.getMessage());
    }

    @Test
    void publishReplacesTheFolderAndKeepsItsReadme(@TempDir Path root) throws IOException {
        Path target = fakeBase(root);
        Path staged = ShapesArtifacts.stagingDir(target);
        Files.writeString(staged.resolve("model_index.json"), "{\"new\": true}");
        ShapesArtifacts.publish(staged, target);
        assertEquals("{\"new\": true}", Files.readString(target.resolve("model_index.json")));
        assertEquals("notes", Files.readString(target.resolve(ShapesArtifacts.README)));
        assertTrue(Files.notExists(target.resolve("unet")));
        assertEquals(1, ShapesArtifacts.verify(target, ShapesArtifacts.Artifact.BASE));
        try (var s = Files.list(target.getParent())) {
            assertEquals(List.of(target), s.toList()); // no staging or trash folders left behind
        }
    }
}
