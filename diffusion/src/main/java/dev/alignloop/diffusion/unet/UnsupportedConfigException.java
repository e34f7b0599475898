package dev.alignloop.diffusion.unet;

/**
 * A config.json value that diffusers accepts but AlignLoop does not implement (or that diffusers
 * itself rejects). The message names the key and the value.
 */
public class UnsupportedConfigException extends RuntimeException {
    private final String key;

    /** {@code key} is the config.json key, {@code value} its offending value. */
    public UnsupportedConfigException(String key, Object value, String why) {
        super("unsupported config value " + key + "=" + value + (why == null || why.isEmpty() ? "" : ": " + why));
        this.key = key;
    }

    /** {@code cause} again, its message prefixed with the file it came from. */
    public UnsupportedConfigException(java.nio.file.Path file, UnsupportedConfigException cause) {
        super(file + ": " + cause.getMessage(), cause);
        this.key = cause.key;
    }

    /** The config.json key at fault. */
    public String key() {
        return key;
    }
}
