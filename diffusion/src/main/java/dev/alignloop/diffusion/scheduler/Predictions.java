package dev.alignloop.diffusion.scheduler;

import ai.djl.ndarray.NDArray;

/** The x0 / epsilon conversions DDPM and DDIM share, each line mirroring diffusers' float32 expression. */
final class Predictions {
    private Predictions() {
    }

    /**
     * @return {pred_original_sample, pred_epsilon} from the model output at a timestep with
     *     {@code alpha_prod_t}
     */
    static NDArray[] x0AndEpsilon(PredictionType type, NDArray modelOutput, NDArray sample, float alphaProdT) {
        float betaProdT = 1 - alphaProdT;
        float sqrtAlpha = ReferenceMath.sqrt(alphaProdT);
        float sqrtBeta = ReferenceMath.sqrt(betaProdT);
        switch (type) {
            case EPSILON -> {
                // (sample - beta_prod_t ** (0.5) * model_output) / alpha_prod_t ** (0.5)
                NDArray x0 = sample.sub(modelOutput.mul(sqrtBeta)).div(sqrtAlpha);
                return new NDArray[] {x0, modelOutput};
            }
            case SAMPLE -> {
                // (sample - alpha_prod_t ** (0.5) * pred_original_sample) / beta_prod_t ** (0.5)
                NDArray eps = sample.sub(modelOutput.mul(sqrtAlpha)).div(sqrtBeta);
                return new NDArray[] {modelOutput, eps};
            }
            case V_PREDICTION -> {
                // (alpha_prod_t**0.5) * sample - (beta_prod_t**0.5) * model_output
                NDArray x0 = sample.mul(sqrtAlpha).sub(modelOutput.mul(sqrtBeta));
                // (alpha_prod_t**0.5) * model_output + (beta_prod_t**0.5) * sample
                NDArray eps = modelOutput.mul(sqrtAlpha).add(sample.mul(sqrtBeta));
                return new NDArray[] {x0, eps};
            }
            default -> throw new IllegalStateException(type.value());
        }
    }

    /** {@code thresholding} takes precedence over {@code clip_sample}, as in diffusers. */
    static NDArray thresholdOrClip(SchedulerConfig c, NDArray x0) {
        if (c.thresholding()) {
            return DynamicThresholding.apply(x0, c.dynamicThresholdingRatio(), c.sampleMaxValue());
        }
        if (c.clipSample()) {
            float r = (float) c.clipSampleRange();
            return x0.clip(-r, r);
        }
        return x0;
    }
}
