package dev.alignloop.diffusion.scheduler;

/** {@code variance_type}: the DDPM posterior variance (DPM-Solver only reads learned / learned_range). */
public enum VarianceType implements ConfigValue {
    FIXED_SMALL("fixed_small"),
    FIXED_SMALL_LOG("fixed_small_log"),
    FIXED_LARGE("fixed_large"),
    FIXED_LARGE_LOG("fixed_large_log"),
    LEARNED("learned"),
    LEARNED_RANGE("learned_range");

    private final String value;

    VarianceType(String value) {
        this.value = value;
    }

    @Override
    public String value() {
        return value;
    }
}
