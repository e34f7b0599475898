package dev.alignloop.diffusion.scheduler;

/**
 * A scheduler configuration that diffusers v0.25.0 accepts but AlignLoop does not implement (an unknown
 * {@code _class_name}, {@code sde-dpmsolver++}, ...). The message names the key and value.
 */
public class UnsupportedConfigException extends SchedulerConfigException {
    private static final long serialVersionUID = 1L;

    /** @param message names the key and value that are not supported */
    public UnsupportedConfigException(String message) {
        super(message);
    }
}
