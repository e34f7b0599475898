package dev.alignloop.diffusion.optim;

/**
 * Hyper-parameters of {@code transformers.optimization.Adafactor} used with an explicit learning
 * rate ({@code relative_step=False, warmup_init=False}); the other defaults are transformers':
 * {@code eps=(1e-30, 1e-3), clip_threshold=1.0, decay_rate=-0.8, beta1=None, weight_decay=0.0,
 * scale_parameter=True}. The official Diffusion-DPO SDXL recipe uses
 * {@code scale_parameter=False} ({@link #diffusionDpoSdxl(double)}).
 *
 * @param eps1 regularizer added to the squared gradient ({@code eps[0]})
 * @param eps2 floor of the parameter RMS when scaling the step ({@code eps[1]})
 * @param clipThreshold threshold of the update's RMS
 * @param decayRate exponent of the second-moment decay {@code 1 - step^decay_rate}
 * @param beta1 first-moment coefficient, or {@code null} for none (the default)
 * @param weightDecay decoupled weight decay, multiplied by the step's learning rate
 * @param scaleParameter scale the learning rate by the parameter's RMS
 */
public record AdafactorConfig(
        double eps1,
        double eps2,
        double clipThreshold,
        double decayRate,
        Double beta1,
        double weightDecay,
        boolean scaleParameter) {

    public AdafactorConfig {
        if (!(eps1 >= 0) || !(eps2 >= 0)) {
            throw new IllegalArgumentException("eps must be >= 0, got (" + eps1 + ", " + eps2 + ")");
        }
        if (!(clipThreshold > 0)) {
            throw new IllegalArgumentException("clip_threshold must be > 0, got " + clipThreshold);
        }
        if (!(decayRate < 0)) {
            throw new IllegalArgumentException("decay_rate must be < 0, got " + decayRate);
        }
        if (beta1 != null && !(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1) or null, got " + beta1);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weight_decay must be >= 0, got " + weightDecay);
        }
    }

    /** transformers' defaults (with {@code relative_step=False}). */
    public static AdafactorConfig defaults() {
        return new AdafactorConfig(1e-30, 1e-3, 1.0, -0.8, null, 0.0, true);
    }

    /**
     * The official SDXL recipe: {@code Adafactor(params, lr=lr, weight_decay=adam_weight_decay,
     * clip_threshold=1.0, scale_parameter=False, relative_step=False)}.
     */
    public static AdafactorConfig diffusionDpoSdxl(double weightDecay) {
        return new AdafactorConfig(1e-30, 1e-3, 1.0, -0.8, null, weightDecay, false);
    }
}
