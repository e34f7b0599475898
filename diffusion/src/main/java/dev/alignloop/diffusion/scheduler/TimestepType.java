package dev.alignloop.diffusion.scheduler;

/** {@code timestep_type} (Euler): {@code continuous} feeds 0.25·log(sigma) to v-prediction models. */
public enum TimestepType implements ConfigValue {
    DISCRETE("discrete"),
    CONTINUOUS("continuous");

    private final String value;

    TimestepType(String value) {
        this.value = value;
    }

    @Override
    public String value() {
        return value;
    }
}
