package dev.alignloop.diffusion.safetensors;

/** A safetensors file is malformed or does not hold what the caller asked for; the message names file and tensor. */
public class SafeTensorsException extends RuntimeException {
    public SafeTensorsException(String message) {
        super(message);
    }

    public SafeTensorsException(String message, Throwable cause) {
        super(message, cause);
    }
}
