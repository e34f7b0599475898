package dev.alignloop.diffusion.scheduler;

/** {@code interpolation_type} (Euler): how sigmas between training timesteps are found. */
public enum InterpolationType implements ConfigValue {
    LINEAR("linear"),
    LOG_LINEAR("log_linear");

    private final String value;

    InterpolationType(String value) {
        this.value = value;
    }

    @Override
    public String value() {
        return value;
    }
}
