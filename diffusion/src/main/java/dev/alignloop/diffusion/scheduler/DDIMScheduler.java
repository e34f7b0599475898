package dev.alignloop.diffusion.scheduler;

import ai.djl.ndarray.NDArray;

/**
 * diffusers' {@code DDIMScheduler} (arXiv:2010.02502): deterministic with {@code eta = 0} (the default),
 * stochastic with {@code eta > 0}. Scalars are float32 as diffusers' 0-dim tensors are; every tensor op
 * mirrors the reference line it quotes, in the same order, so float32 rounding matches.
 */
public final class DDIMScheduler implements Scheduler {
    private final SchedulerConfig config;
    private final NoiseSchedule schedule;
    // final_alpha_cumprod: 1 with set_alpha_to_one, else alphas_cumprod[0]
    private final float finalAlphaCumprod;
    private float eta;
    private int numInferenceSteps;
    private long[] timesteps;

    /**
     * @param config a config of type {@link SchedulerType#DDIM}
     */
    public DDIMScheduler(SchedulerConfig config) {
        if (config.type() != SchedulerType.DDIM) {
            throw new IllegalArgumentException("DDIMScheduler needs a DDIMScheduler config, got " + config.type());
        }
        this.config = config;
        this.schedule = NoiseSchedule.of(config);
        this.finalAlphaCumprod = config.setAlphaToOne() ? 1f : schedule.alphaCumprod(0);
    }

    /**
     * Sets {@code eta}, the weight of the noise added at each step (0: DDIM, 1: DDPM-like); diffusers
     * passes it to {@code step}, the pipelines as {@code eta=}.
     *
     * @param eta in [0, 1]
     * @return this
     */
    public DDIMScheduler setEta(double eta) {
        if (!(eta >= 0 && eta <= 1)) {
            throw new IllegalArgumentException("DDIM eta must be in [0, 1], got " + eta);
        }
        this.eta = (float) eta;
        return this;
    }

    /** @return the current {@code eta} */
    public float eta() {
        return eta;
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

    @Override
    public float[] timesteps() {
        requireTimesteps();
        float[] out = new float[timesteps.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = timesteps[i];
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

    @Override
    public NDArray step(NDArray modelOutput, float timestep, NDArray sample, NoiseGenerator generator) {
        requireTimesteps();
        int t = StepScope.integerTimestep(timestep, config.numTrainTimesteps());
        // prev_timestep = timestep - num_train_timesteps // num_inference_steps
        int prev = t - config.numTrainTimesteps() / numInferenceSteps;
        float alphaProdT = schedule.alphaCumprod(t);
        float alphaProdTPrev = prev >= 0 ? schedule.alphaCumprod(prev) : finalAlphaCumprod;
        float betaProdT = 1 - alphaProdT;
        try (StepScope scope = new StepScope(sample, modelOutput)) {
            NDArray[] x0AndEps = Predictions.x0AndEpsilon(config.predictionType(), modelOutput, sample, alphaProdT);
            NDArray x0 = Predictions.thresholdOrClip(config, x0AndEps[0]);
            NDArray eps = x0AndEps[1];
            // variance = (beta_prod_t_prev / beta_prod_t) * (1 - alpha_prod_t / alpha_prod_t_prev)
            float variance = ((1 - alphaProdTPrev) / betaProdT) * (1 - alphaProdT / alphaProdTPrev);
            float stdDevT = eta * ReferenceMath.sqrt(variance);
            // pred_sample_direction = (1 - alpha_prod_t_prev - std_dev_t**2) ** (0.5) * pred_epsilon
            NDArray direction = eps.mul(ReferenceMath.sqrt(1 - alphaProdTPrev - stdDevT * stdDevT));
            // prev_sample = alpha_prod_t_prev ** (0.5) * pred_original_sample + pred_sample_direction
            NDArray prevSample = x0.mul(ReferenceMath.sqrt(alphaProdTPrev)).add(direction);
            if (eta > 0) {
                NoiseGenerator g = generator != null ? generator : StepScope.unseeded();
                NDArray noise = g.randn(scope.manager(), modelOutput.getShape());
                prevSample = prevSample.add(noise.mul(stdDevT)); // prev_sample + std_dev_t * variance_noise
            }
            return scope.keep(prevSample);
        }
    }

    /** {@code add_noise}; see {@link NoiseSchedule#addNoise}. */
    public NDArray addNoise(NDArray original, NDArray noise, NDArray timesteps) {
        return schedule.addNoise(original, noise, timesteps);
    }

    /** {@code get_velocity}; see {@link NoiseSchedule#velocity}. */
    public NDArray getVelocity(NDArray sample, NDArray noise, NDArray timesteps) {
        return schedule.velocity(sample, noise, timesteps);
    }

    private void requireTimesteps() {
        if (timesteps == null) {
            throw new IllegalStateException("call setTimesteps before sampling with DDIMScheduler");
        }
    }
}
