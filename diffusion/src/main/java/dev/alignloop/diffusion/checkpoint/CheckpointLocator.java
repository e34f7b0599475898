package dev.alignloop.diffusion.checkpoint;

import dev.alignloop.diffusion.pretrained.ModelIndex;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Turns a published checkpoint (version, uri, manifest SHA-256 — the fields of the
 * {@code Checkpoint} record on {@code alignloop.checkpoints}) into the diffusers folder to load, and proves the folder is
 * the one the trainer wrote before anything reads its weights.
 *
 * <p><b>Where.</b> {@code uri} is a {@code file:} URI or a plain path; a relative one resolves
 * against the checkpoint root (e.g. {@code alignloop.generator.checkpoint-dir}). When nothing is at
 * that location — the trainer and the generator may mount the volume at different paths — the
 * folder {@code <root>/<version>} is used. The model is the checkpoint folder itself (a training
 * checkpoint is a diffusers folder plus optimizer state, trainer state and manifest; it may hold
 * only {@code unet/}, the rest then comes from the base model), or its {@code model/} sub-folder
 * when that holds the {@code model_index.json}.
 *
 * <p><b>Verification</b> (unless disabled): the checkpoint package's rules — every file matches
 * {@code manifest.json} (SHA-256 and size; none missing, none extra), the manifest's own SHA-256
 * equals the record's {@code sha256}, and the trainer state names the record's version. So a
 * checkpoint that was tampered with, half-copied or mixed up with another is never loaded.
 */
public final class CheckpointLocator {
    private final Path root;
    private final boolean verify;

    /**
     * @param root the checkpoint root, for relative URIs and the by-version fallback
     * @param verify whether to verify against the manifest and the record's SHA-256
     */
    public CheckpointLocator(Path root, boolean verify) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        this.verify = verify;
    }

    /** A published checkpoint as the locator needs it. */
    public record Published(String version, String uri, String sha256) { }

    /**
     * @param checkpoint the published checkpoint (its status is not looked at here)
     * @return the diffusers folder to load
     * @throws CheckpointException naming the location and what is wrong with it
     */
    public Path resolve(Published checkpoint) {
        Path dir = locate(checkpoint);
        if (verify) {
            verify(checkpoint, dir);
        }
        Path nested = dir.resolve("model");
        return Files.isRegularFile(nested.resolve(ModelIndex.FILE_NAME)) ? nested : dir;
    }

    private Path locate(Published c) {
        Path path = toPath(c.uri(), c.version());
        Path dir = (path.isAbsolute() ? path : root.resolve(path)).normalize();
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path byVersion = root.resolve(c.version()).normalize();
        if (byVersion.startsWith(root) && !byVersion.equals(root) && Files.isDirectory(byVersion)) {
            return byVersion;
        }
        throw new CheckpointException("checkpoint " + c.version() + ": no folder at " + dir + " (uri "
                + c.uri() + ") nor at " + byVersion);
    }

    private static Path toPath(String uri, String version) {
        try {
            if (uri.regionMatches(true, 0, "file:", 0, 5)) {
                URI u = new URI(uri);
                // file:/abs and file:///abs are hierarchical; file:rel/dir is opaque: a relative path.
                return u.isOpaque() ? Path.of(u.getSchemeSpecificPart()) : Path.of(u);
            }
            int colon = uri.indexOf(':');
            if (colon > 1 && uri.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
                throw new CheckpointException("checkpoint " + version + ": uri scheme '"
                        + uri.substring(0, colon).toLowerCase(Locale.ROOT) + ":' is not supported (" + uri
                        + "); use a file: URI or a path on a shared volume");
            }
            return Path.of(uri);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new CheckpointException("checkpoint " + version + ": invalid uri '" + uri + "': " + e.getMessage(), e);
        }
    }

    private static void verify(Published c, Path dir) {
        CheckpointVerifier.Report report = CheckpointVerifier.verify(dir);
        if (!report.ok()) {
            throw new CheckpointException("checkpoint " + c.version() + " failed verification: " + report.describe());
        }
        String manifestSha = Manifest.hash(dir.resolve(CheckpointLayout.MANIFEST)).sha256();
        if (!manifestSha.equalsIgnoreCase(c.sha256())) {
            throw new CheckpointException("checkpoint " + c.version() + ": " + CheckpointLayout.MANIFEST + " in "
                    + dir + " has SHA-256 " + manifestSha + " but the record says " + c.sha256());
        }
        String stored = TrainingCheckpoint.openUnverified(dir).version();
        if (!stored.equals(c.version())) {
            throw new CheckpointException("checkpoint " + c.version() + ": the folder " + dir + " holds version "
                    + stored);
        }
    }
}
