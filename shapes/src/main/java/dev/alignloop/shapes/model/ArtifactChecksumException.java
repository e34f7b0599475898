package dev.alignloop.shapes.model;

import java.nio.file.Path;

/**
 * A shipped model artifact does not match its {@code CHECKSUMS.sha256}: a file is missing, altered
 * or the checksum list itself is absent or malformed. The message names the file and the command
 * that regenerates the artifact.
 */
public class ArtifactChecksumException extends RuntimeException {
    private final transient Path file;

    /** @param file the file at fault (may be the checksum list itself) */
    public ArtifactChecksumException(Path file, String message) {
        super(message);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }
}
