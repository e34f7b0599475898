package dev.alignloop.diffusion.scheduler;

/**
 * A {@code scheduler_config.json} that cannot be read or holds a value diffusers itself rejects. The
 * message names the file (when known), the key and the offending value.
 */
public class SchedulerConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message names the file, key and value at fault */
    public SchedulerConfigException(String message) {
        super(message);
    }

    /**
     * @param message names the file, key and value at fault
     * @param cause the underlying parse or I/O error
     */
    public SchedulerConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
