package dev.alignloop.diffusion.scheduler;

/** {@code final_sigmas_type} (DPM-Solver): the sigma after the last step. diffusers v0.25.0 always uses {@code sigma_min}; {@code zero} follows diffusers >= 0.27. */
public enum FinalSigmasType implements ConfigValue {
    SIGMA_MIN("sigma_min"),
    ZERO("zero");

    private final String value;

    FinalSigmasType(String value) {
        this.value = value;
    }

    @Override
    public String value() {
        return value;
    }
}
