package dev.alignloop.diffusion.pretrained;

/**
 * A configuration file is unreadable, malformed, or holds values that conflict. The message
 * names the file (or source) and the field at fault.
 */
public class ConfigException extends RuntimeException {
    /** A problem described by {@code message} (which names the file and field). */
    public ConfigException(String message) {
        super(message);
    }

    /** A problem with an underlying cause (I/O, JSON syntax). */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
