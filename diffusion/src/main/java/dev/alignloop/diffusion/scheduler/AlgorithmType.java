package dev.alignloop.diffusion.scheduler;

/** {@code algorithm_type} (DPM-Solver); {@code deis} is rewritten to dpmsolver++ as diffusers does. */
public enum AlgorithmType implements ConfigValue {
    DPMSOLVER("dpmsolver"),
    DPMSOLVER_PLUS_PLUS("dpmsolver++"),
    SDE_DPMSOLVER("sde-dpmsolver"),
    SDE_DPMSOLVER_PLUS_PLUS("sde-dpmsolver++");

    private final String value;

    AlgorithmType(String value) {
        this.value = value;
    }

    @Override
    public String value() {
        return value;
    }
}
