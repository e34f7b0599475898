package dev.alignloop.diffusion.lora;

/** A LoRA setting, file or model that does not fit; the message names the key, file or layer at fault. */
public class LoraException extends RuntimeException {
    /** With a message naming what is at fault. */
    public LoraException(String message) {
        super(message);
    }

    /** With a message naming what is at fault and the cause. */
    public LoraException(String message, Throwable cause) {
        super(message, cause);
    }
}
