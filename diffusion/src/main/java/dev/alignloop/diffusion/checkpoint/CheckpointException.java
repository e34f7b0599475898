package dev.alignloop.diffusion.checkpoint;

/** A checkpoint cannot be written, read or trusted; the message names the folder and file at fault. */
public class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
