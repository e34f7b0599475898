package dev.alignloop.diffusion.pretrained;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A fine-tuned folder seen on top of its base model: a Diffusion-DPO checkpoint usually holds only
 * what training changed ({@code unet/}, perhaps {@code model_index.json} and {@code scheduler/}),
 * and takes the text encoder, tokenizer and VAE from the base. The overlay is a temporary folder
 * of symbolic links — each component from the fine-tuned folder when it has it, else from the
 * base — so that {@link DiffusersFolder} validates and the models load the combination as one
 * folder, without copying weights. It lives only while the weights are read.
 */
final class FolderOverlay implements AutoCloseable {
    private final Path dir;

    private FolderOverlay(Path dir) {
        this.dir = dir;
    }

    /**
     * @param top the fine-tuned folder (its components win)
     * @param base the complete base folder
     * @return the overlay; close it once loaded
     * @throws DiffusersFolderException if neither folder has a {@code model_index.json}
     */
    static FolderOverlay of(Path top, Path base) {
        Path index = Files.isRegularFile(top.resolve(ModelIndex.FILE_NAME)) ? top.resolve(ModelIndex.FILE_NAME)
                : base.resolve(ModelIndex.FILE_NAME);
        if (!Files.isRegularFile(index)) {
            throw new DiffusersFolderException(top, List.of(ModelIndex.FILE_NAME + ": missing here and in the base "
                    + base));
        }
        if (!Files.isDirectory(top)) {
            throw new DiffusersFolderException(top, List.of("folder does not exist"));
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("alignloop-overlay-");
            Files.copy(index, dir.resolve(ModelIndex.FILE_NAME));
            for (Map.Entry<String, ComponentSpec> e : ModelIndex.read(index).components().entrySet()) {
                if (!e.getValue().isPresent()) {
                    continue;
                }
                Path own = top.resolve(e.getKey());
                Path target = Files.isDirectory(own) ? own : base.resolve(e.getKey());
                if (Files.isDirectory(target)) { // else DiffusersFolder reports it missing
                    Files.createSymbolicLink(dir.resolve(e.getKey()), target.toAbsolutePath());
                }
            }
            return new FolderOverlay(dir);
        } catch (IOException e) {
            deleteQuietly(dir);
            throw new UncheckedIOException("cannot build an overlay of " + top + " on " + base + ": " + e, e);
        } catch (RuntimeException e) {
            deleteQuietly(dir);
            throw e;
        }
    }

    /** @return the overlay folder */
    Path dir() {
        return dir;
    }

    /** Deletes the links and the folder (never what they point to). */
    @Override
    public void close() {
        deleteQuietly(dir);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        // Files.walk does not follow links by default: only the links themselves are deleted.
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp folder of links
        }
    }
}
