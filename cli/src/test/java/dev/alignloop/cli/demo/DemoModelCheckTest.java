package dev.alignloop.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.cli.DemoCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo checks the shipped models before it starts anything. */
class DemoModelCheckTest {
    private static final Path HOME = Path.of(System.getProperty("alignloop.home", "..")).toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void theShippedModelsVerify() {
        // Every file of both shipped models matches its CHECKSUMS.sha256 (what the demo checks first).
        assertEquals(8, dev.alignloop.shapes.model.ShapesArtifacts.verify(HOME.resolve("models/shapes-base"),
                dev.alignloop.shapes.model.ShapesArtifacts.Artifact.BASE));
        assertTrue(dev.alignloop.shapes.model.ShapesArtifacts.verify(HOME.resolve("models/shapes-reward"),
                dev.alignloop.shapes.model.ShapesArtifacts.Artifact.REWARD) >= 4);
    }

    @Test
    void aCorruptShippedFileStopsTheDemoNamingItAndTheRegenerateCommand() throws Exception {
        copy(HOME.resolve("models"), tmp.resolve("models"));
        Path weights = tmp.resolve("models/shapes-base/unet/diffusion_pytorch_model.safetensors");
        Files.write(weights, new byte[] {1}, StandardOpenOption.APPEND);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DemoOptions options = new DemoOptions(tmp, tmp.resolve("state"), 1, 1, 1, 1, 500, 1e-4, 1, 7, false, false, 0,
                Duration.ofMinutes(1), Path.of("models/shapes-base"), Path.of("models/shapes-reward/reward.json"), null,
                Map.of());

        int code = new DemoRunner(options, new PrintStream(out, true, StandardCharsets.UTF_8)).run();

        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(DemoCommand.NOT_READY, code, printed);
        assertTrue(printed.contains("unet/diffusion_pytorch_model.safetensors: SHA-256 mismatch"), printed);
        assertTrue(printed.contains("./alignloop pretrain base"), printed);
        assertFalse(Files.exists(tmp.resolve("state/kafka")), "nothing was started");
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
