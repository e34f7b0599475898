package dev.alignloop.diffusion.checkpoint;

import ai.djl.ndarray.NDArray;
import dev.alignloop.diffusion.safetensors.SafeTensorsWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a checkpoint atomically: everything goes into {@code <root>/.tmp-<version>}, every file
 * and folder is fsynced, the manifest is written last, then the folder is renamed to
 * {@code <root>/<version>} and the root fsynced. A crash at any point leaves either no
 * checkpoint or a complete one; leftovers of a crash are temp folders that readers ignore.
 */
final class CheckpointWriter {
    private final Path root;
    private final Runnable beforeCommit;

    CheckpointWriter(Path root, Runnable beforeCommit) {
        this.root = root;
        this.beforeCommit = beforeCommit;
    }

    TrainingCheckpoint write(TrainerState state, WeightsWriter weights, String optimizerName, Map<String, NDArray> optimizerState) {
        String version = state.version();
        Path target = root.resolve(version);
        Path tmp = root.resolve(CheckpointLayout.TEMP_PREFIX + version);
        if (Files.exists(target)) {
            throw new CheckpointException(target + ": checkpoint version " + version + " already exists");
        }
        try {
            Files.createDirectories(root);
            deleteRecursively(tmp);
            Files.createDirectory(tmp);
            weights.write(tmp);
            SafeTensorsWriter.writeArrays(tmp.resolve(CheckpointLayout.OPTIMIZER), optimizerState,
                    Map.of("format", CheckpointLayout.FORMAT, "optimizer", optimizerName));
            Files.write(tmp.resolve(CheckpointLayout.TRAINER_STATE), TrainerStateJson.write(state));
            Manifest manifest = Manifest.compute(version, tmp);
            Files.write(tmp.resolve(CheckpointLayout.MANIFEST), manifest.toJson());
            syncTree(tmp);
            beforeCommit.run();
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            syncDir(root);
            return new TrainingCheckpoint(target, state, manifest);
        } catch (IOException | RuntimeException e) {
            try {
                deleteRecursively(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof CheckpointException ce) {
                throw ce;
            }
            throw new CheckpointException(target + ": cannot write checkpoint: " + e.getMessage(), e);
        }
    }

    /** fsyncs every file, then every folder bottom-up. */
    private static void syncTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (Files.isRegularFile(p)) {
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                        ch.force(true);
                    }
                } else if (Files.isDirectory(p)) {
                    syncDir(p);
                }
            }
        }
    }

    static void syncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms (not Linux) cannot open or fsync a directory; the rename is still atomic there.
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) {
                throw e;
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
