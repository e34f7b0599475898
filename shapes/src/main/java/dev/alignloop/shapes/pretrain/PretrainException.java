package dev.alignloop.shapes.pretrain;

/** A pretraining run cannot start or continue (diverged loss, incompatible checkpoint, I/O failure). */
public class PretrainException extends RuntimeException {
    public PretrainException(String message) {
        super(message);
    }

    public PretrainException(String message, Throwable cause) {
        super(message, cause);
    }
}
