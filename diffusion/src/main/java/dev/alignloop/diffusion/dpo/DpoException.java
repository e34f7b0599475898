package dev.alignloop.diffusion.dpo;

/** A DPO input or model folder is unusable; the message names the file or tensor at fault. */
public class DpoException extends RuntimeException {
    public DpoException(String message) {
        super(message);
    }

    public DpoException(String message, Throwable cause) {
        super(message, cause);
    }
}
