package dev.alignloop.diffusion.scheduler;

/** {@code beta_schedule}: how the training betas are spaced ({@code sigmoid} exists for DDPM only). */
public enum BetaSchedule implements ConfigValue {
    LINEAR("linear"),
    SCALED_LINEAR("scaled_linear"),
    SQUAREDCOS_CAP_V2("squaredcos_cap_v2"),
    SIGMOID("sigmoid");

    private final String value;

    BetaSchedule(String value) {
        this.value = value;
    }

    @Override
    public String value() {
        return value;
    }
}
