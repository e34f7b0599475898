package dev.alignloop.diffusion.scheduler;

/** {@code solver_type} (DPM-Solver second order); logrho/bh1/bh2 are rewritten to midpoint as diffusers does. */
public enum SolverType implements ConfigValue {
    MIDPOINT("midpoint"),
    HEUN("heun");

    private final String value;

    SolverType(String value) {
        this.value = value;
    }

    @Override
    public String value() {
        return value;
    }
}
