package dev.alignloop.common.image;

/**
 * PNG bytes are corrupt, truncated, not 8-bit RGB, or not the expected size. The message says
 * which, with the chunk or byte offset at fault where there is one.
 */
public class PngFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PngFormatException(String message) {
        super(message);
    }

    public PngFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
