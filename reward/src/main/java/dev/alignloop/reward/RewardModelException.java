package dev.alignloop.reward;

/**
 * A reward model cannot be loaded or used as configured: bad manifest, checksum mismatch, inputs
 * or outputs that do not match the ONNX graph. Messages name the file and key at fault and how to
 * fix it. Not retryable: the same message would fail again.
 */
public class RewardModelException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An exception with a message. */
    public RewardModelException(String message) {
        super(message);
    }

    /** An exception with a message and cause. */
    public RewardModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
