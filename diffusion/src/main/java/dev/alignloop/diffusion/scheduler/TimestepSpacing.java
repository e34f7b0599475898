package dev.alignloop.diffusion.scheduler;

/** {@code timestep_spacing}: how inference timesteps are spread (Table 2 of arXiv:2305.08891). */
public enum TimestepSpacing implements ConfigValue {
    LEADING("leading"),
    LINSPACE("linspace"),
    TRAILING("trailing");

    private final String value;

    TimestepSpacing(String value) {
        this.value = value;
    }

    @Override
    public String value() {
        return value;
    }
}
