package dev.alignloop.diffusion.scheduler;

/** {@code prediction_type}: what the denoiser predicts (noise, x0 or velocity). */
public enum PredictionType implements ConfigValue {
    EPSILON("epsilon"),
    SAMPLE("sample"),
    V_PREDICTION("v_prediction");

    private final String value;

    PredictionType(String value) {
        this.value = value;
    }

    @Override
    public String value() {
        return value;
    }
}
