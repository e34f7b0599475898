package dev.alignloop.diffusion.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * diffusers' {@code DDPMScheduler} (arXiv:2006.11239): the forward process used in training
 * ({@link #addNoise}, {@link #getVelocity}, {@link #trainingTarget}) and ancestral sampling with the
 * {@code variance_type} posterior variance. Before {@link #setTimesteps} it steps over all training
 * timesteps, as diffusers does.
 */
public final class DDPMScheduler implements Scheduler {
    private final SchedulerConfig config;
    private final NoiseSchedule schedule;
    private int numInferenceSteps;
    private long[] timesteps;

    /**
     * @param config a config of type {@link SchedulerType#DDPM}
     */
    public DDPMScheduler(SchedulerConfig config) {
        if (config.type() != SchedulerType.DDPM) {
            throw new IllegalArgumentException("DDPMScheduler needs a DDPMScheduler config, got " + config.type());
        }
        this.config = config;
        this.schedule = NoiseSchedule.of(config);
    }

    @Override
    public SchedulerConfig config() {
        return config;
    }

    @Override
    public NoiseSchedule noiseSchedule() {
        return schedule;
    }

    @Override
    public void setTimesteps(int n) {
        this.timesteps = InferenceTimesteps.ddim(config, n);
        this.numInferenceSteps = n;
    }

    /** @return the inference timesteps, or all training timesteps (descending) before {@link #setTimesteps} */
    @Override
    public float[] timesteps() {
        int n = timesteps == null ? config.numTrainTimesteps() : timesteps.length;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = timesteps == null ? n - 1 - i : timesteps[i];
        }
        return out;
    }

    @Override
    public float initNoiseSigma() {
        return 1f;
    }

    @Override
    public NDArray scaleModelInput(NDArray sample, float timestep) {
        return sample;
    }

    /**
     * {@code add_noise(original_samples, noise, timesteps)}.
     *
     * @param original x0 (B, ...)
     * @param noise epsilon (B, ...)
     * @param timesteps (B) integer timesteps
     * @return x_t
     */
    public NDArray addNoise(NDArray original, NDArray noise, NDArray timesteps) {
        return schedule.addNoise(original, noise, timesteps);
    }

    /**
     * {@code get_velocity(sample, noise, timesteps)}.
     *
     * @param sample x0 (B, ...)
     * @param noise epsilon (B, ...)
     * @param timesteps (B) integer timesteps
     * @return the v-prediction target
     */
    public NDArray getVelocity(NDArray sample, NDArray noise, NDArray timesteps) {
        return schedule.velocity(sample, noise, timesteps);
    }

    /**
     * The regression target of diffusers' training scripts for this {@code prediction_type}: the noise
     * ({@code epsilon}), {@code get_velocity} ({@code v_prediction}) or x0 ({@code sample}).
     *
     * @param sample x0 (B, ...)
     * @param noise epsilon (B, ...)
     * @param timesteps (B) integer timesteps
     * @return a new array holding the target
     */
    public NDArray trainingTarget(NDArray sample, NDArray noise, NDArray timesteps) {
        return switch (config.predictionType()) {
            case EPSILON -> noise.duplicate();
            case V_PREDICTION -> getVelocity(sample, noise, timesteps);
            case SAMPLE -> sample.duplicate();
        };
    }

    private int previousTimestep(int t) {
        int n = numInferenceSteps > 0 ? numInferenceSteps : config.numTrainTimesteps();
        return t - config.numTrainTimesteps() / n;
    }

    @Override
    public NDArray step(NDArray modelOutput, float timestep, NDArray sample, NoiseGenerator generator) {
        int t = StepScope.integerTimestep(timestep, config.numTrainTimesteps());
        int prevT = previousTimestep(t);
        VarianceType varianceType = config.varianceType();
        float alphaProdT = schedule.alphaCumprod(t);
        float alphaProdTPrev = prevT >= 0 ? schedule.alphaCumprod(prevT) : 1f;
        float betaProdT = 1 - alphaProdT;
        float betaProdTPrev = 1 - alphaProdTPrev;
        float currentAlphaT = alphaProdT / alphaProdTPrev;
        float currentBetaT = 1 - currentAlphaT;
        try (StepScope scope = new StepScope(sample, modelOutput)) {
            NDArray output = modelOutput;
            NDArray predictedVariance = null;
            long channels = sample.getShape().get(1);
            boolean learned = varianceType == VarianceType.LEARNED || varianceType == VarianceType.LEARNED_RANGE;
            if (modelOutput.getShape().get(1) == channels * 2 && learned) {
                NDList parts = modelOutput.split(new long[] {channels}, 1);
                output = parts.get(0);
                predictedVariance = parts.get(1);
            }
            NDArray x0 = Predictions.x0AndEpsilon(config.predictionType(), output, sample, alphaProdT)[0];
            x0 = Predictions.thresholdOrClip(config, x0);
            // pred_original_sample_coeff = (alpha_prod_t_prev ** (0.5) * current_beta_t) / beta_prod_t
            float x0Coeff = (ReferenceMath.sqrt(alphaProdTPrev) * currentBetaT) / betaProdT;
            // current_sample_coeff = current_alpha_t ** (0.5) * beta_prod_t_prev / beta_prod_t
            float sampleCoeff = ReferenceMath.sqrt(currentAlphaT) * betaProdTPrev / betaProdT;
            NDArray prev = x0.mul(x0Coeff).add(sample.mul(sampleCoeff));
            if (t > 0) {
                NoiseGenerator g = generator != null ? generator : StepScope.unseeded();
                NDArray noise = g.randn(scope.manager(), output.getShape());
                prev = prev.add(varianceTerm(varianceType, alphaProdT, alphaProdTPrev, currentBetaT,
                        predictedVariance, noise));
            }
            return scope.keep(prev);
        }
    }

    /** The stochastic term of {@code step}: the posterior standard deviation times the noise. */
    private static NDArray varianceTerm(VarianceType type, float alphaProdT, float alphaProdTPrev, float currentBetaT,
            NDArray predictedVariance, NDArray noise) {
        // _get_variance: variance = (1 - alpha_prod_t_prev) / (1 - alpha_prod_t) * current_beta_t, clamp(min=1e-20)
        float variance = Math.max((1 - alphaProdTPrev) / (1 - alphaProdT) * currentBetaT, 1e-20f);
        switch (type) {
            case FIXED_SMALL:
                return noise.mul(ReferenceMath.sqrt(variance));
            case FIXED_SMALL_LOG:
                // variance = torch.exp(0.5 * torch.log(variance)); used without a square root
                return noise.mul(ReferenceMath.exp(0.5f * ReferenceMath.log(variance)));
            case FIXED_LARGE:
                return noise.mul(ReferenceMath.sqrt(currentBetaT));
            case LEARNED:
                requireLearned(predictedVariance, type);
                return predictedVariance.sqrt().mul(noise); // predicted_variance ** 0.5 * variance_noise
            case LEARNED_RANGE: {
                requireLearned(predictedVariance, type);
                float minLog = ReferenceMath.log(variance);
                float maxLog = ReferenceMath.log(currentBetaT);
                // frac = (v + 1) / 2; variance = frac * max_log + (1 - frac) * min_log; exp(0.5 * variance) * noise
                NDArray frac = predictedVariance.add(1f).div(2f);
                NDArray logVar = frac.mul(maxLog).add(frac.neg().add(1f).mul(minLog));
                return logVar.mul(0.5f).exp().mul(noise);
            }
            default:
                throw new IllegalStateException(type.value());
        }
    }

    private static void requireLearned(NDArray predictedVariance, VarianceType type) {
        if (predictedVariance == null) {
            throw new IllegalArgumentException("variance_type \"" + type.value()
                    + "\" needs a model output with twice the sample's channels");
        }
    }

}
