package dev.alignloop.cli.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.cli.AlignLoopCommand;
import dev.alignloop.shapes.model.ShapesArtifacts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code alignloop pretrain base} end to end on a few steps: a checksummed diffusers folder. */
class PretrainCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aShortBaseRunWritesAVerifiedDiffusersFolder() throws Exception {
        Path out = tmp.resolve("shapes-base");
        int code = AlignLoopCommand.commandLine().execute("pretrain", "base", "--steps", "2", "--batch-size", "2",
                "--threads", "1", "--output", out.toString(), "--checkpoint-dir", tmp.resolve("ckpt").toString());
        assertEquals(0, code);
        assertTrue(Files.isRegularFile(out.resolve("model_index.json")));
        assertTrue(Files.isRegularFile(out.resolve("unet/diffusion_pytorch_model.safetensors")));
        assertTrue(Files.readString(out.resolve("pretrain.json")).contains("\"steps\" : 2"));
        assertEquals(8, ShapesArtifacts.verify(out, ShapesArtifacts.Artifact.BASE));
    }

    @Test
    void badSettingsAreNamed() {
        int code = AlignLoopCommand.commandLine().execute("pretrain", "base", "--steps", "0", "--output",
                tmp.resolve("x").toString(), "--checkpoint-dir", tmp.resolve("ckpt").toString());
        assertTrue(code != 0, "steps 0 is refused");
        assertTrue(!Files.exists(tmp.resolve("x")), "nothing written");
    }
}
