package dev.alignloop.diffusion.scheduler;

import ai.djl.ndarray.NDArray;

/**
 * diffusers' {@code EulerDiscreteScheduler} (k-diffusion's Euler, Karras et al. 2022, Algorithm 2 without
 * churn): sigmas interpolated from the training schedule in float64 then stored float32, optional Karras
 * sigmas, {@code linear} or {@code log_linear} interpolation, {@code continuous} timesteps for v-prediction.
 * The step index is found from the first timestep seen and then counted, as in diffusers.
 */
public final class EulerDiscreteScheduler implements Scheduler {
    private static final double RHO = 7.0;
    private final SchedulerConfig config;
    private final NoiseSchedule schedule;
    // ((1 - alphas_cumprod) / alphas_cumprod) ** 0.5, float32, training order: (num_train_timesteps)
    private final float[] trainSigmas;
    // (steps + 1): the inference sigmas, then 0
    private float[] sigmas;
    // (steps)
    private float[] timesteps;
    private int stepIndex = -1;

    /**
     * @param config a config of type {@link SchedulerType#EULER_DISCRETE}
     */
    public EulerDiscreteScheduler(SchedulerConfig config) {
        if (config.type() != SchedulerType.EULER_DISCRETE) {
            throw new IllegalArgumentException("EulerDiscreteScheduler needs an EulerDiscreteScheduler config, got "
                    + config.type());
        }
        this.config = config;
        this.schedule = NoiseSchedule.of(config);
        float[] ac = schedule.alphasCumprod();
        if (config.rescaleBetasZeroSnr()) {
            ac[ac.length - 1] = 0x1.0p-24f; // self.alphas_cumprod[-1] = 2**-24 (avoids an infinite sigma)
        }
        trainSigmas = new float[ac.length];
        for (int i = 0; i < ac.length; i++) {
            trainSigmas[i] = ReferenceMath.sqrt((1 - ac[i]) / ac[i]);
        }
        int n = ac.length;
        sigmas = new float[n + 1];
        timesteps = new float[n];
        double[] l = ReferenceMath.npLinspace(0, n - 1, n);
        for (int i = 0; i < n; i++) {
            sigmas[i] = trainSigmas[n - 1 - i];
            timesteps[i] = (float) l[n - 1 - i];
        }
        if (config.timestepType() == TimestepType.CONTINUOUS && config.predictionType() == PredictionType.V_PREDICTION) {
            timesteps = continuousTimesteps(sigmas, n);
        }
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
        float[] ts = InferenceTimesteps.euler(config, n);
        double[] s;
        if (config.interpolationType() == InterpolationType.LINEAR) {
            // np.interp(timesteps, np.arange(0, len(sigmas)), sigmas)
            s = new double[ts.length];
            for (int i = 0; i < ts.length; i++) {
                s[i] = ReferenceMath.npInterpIndex(ts[i], trainSigmas);
            }
        } else {
            // torch.linspace(np.log(sigmas[-1]), np.log(sigmas[0]), n + 1).exp()
            float[] logs = ReferenceMath.torchLinspace(ReferenceMath.log(trainSigmas[trainSigmas.length - 1]),
                    ReferenceMath.log(trainSigmas[0]), n + 1);
            s = new double[logs.length];
            for (int i = 0; i < logs.length; i++) {
                s[i] = ReferenceMath.exp(logs[i]);
            }
        }
        if (config.useKarrasSigmas()) {
            s = karras(s, n);
            float[] logSigmas = logSigmas(trainSigmas);
            ts = new float[s.length];
            for (int i = 0; i < s.length; i++) {
                ts[i] = (float) SigmaMath.sigmaToT(s[i], logSigmas);
            }
        }
        float[] newSigmas = new float[s.length + 1];
        for (int i = 0; i < s.length; i++) {
            newSigmas[i] = (float) s[i];
        }
        boolean continuous = config.timestepType() == TimestepType.CONTINUOUS
                && config.predictionType() == PredictionType.V_PREDICTION;
        this.timesteps = continuous ? continuousTimesteps(newSigmas, s.length) : ts;
        this.sigmas = newSigmas;
        this.stepIndex = -1;
    }

    /** {@code torch.Tensor([0.25 * sigma.log() for sigma in sigmas])}. */
    private static float[] continuousTimesteps(float[] sigmas, int n) {
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = 0.25f * ReferenceMath.log(sigmas[i]);
        }
        return t;
    }

    private double[] karras(double[] in, int n) {
        double min = config.sigmaMin() != null ? config.sigmaMin() : in[in.length - 1];
        double max = config.sigmaMax() != null ? config.sigmaMax() : in[0];
        return SigmaMath.karras(min, max, n, RHO);
    }

    static float[] logSigmas(float[] trainSigmas) {
        float[] out = new float[trainSigmas.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ReferenceMath.log(trainSigmas[i]); // np.log on a float32 array
        }
        return out;
    }

    @Override
    public float[] timesteps() {
        return timesteps.clone();
    }

    /** @return a copy of the sigmas: one per timestep, then the final 0 */
    public float[] sigmas() {
        return sigmas.clone();
    }

    /** @return the index of the next step, or -1 before the first {@link #scaleModelInput} or {@link #step} */
    public int stepIndex() {
        return stepIndex;
    }

    @Override
    public float initNoiseSigma() {
        float max = 0;
        for (float s : sigmas) {
            max = Math.max(max, s);
        }
        if (config.timestepSpacing() == TimestepSpacing.LINSPACE || config.timestepSpacing() == TimestepSpacing.TRAILING) {
            return max;
        }
        return ReferenceMath.sqrt(max * max + 1); // (max_sigma**2 + 1) ** 0.5
    }

    @Override
    public NDArray scaleModelInput(NDArray sample, float timestep) {
        if (stepIndex < 0) {
            stepIndex = SigmaMath.initStepIndex(timesteps, timestep, false);
        }
        float sigma = sigmas[stepIndex];
        return sample.div(ReferenceMath.sqrt(sigma * sigma + 1)); // sample / ((sigma**2 + 1) ** 0.5)
    }

    @Override
    public NDArray step(NDArray modelOutput, float timestep, NDArray sample, NoiseGenerator generator) {
        if (stepIndex < 0) {
            stepIndex = SigmaMath.initStepIndex(timesteps, timestep, false);
        }
        if (stepIndex >= timesteps.length) {
            throw new IllegalStateException("EulerDiscreteScheduler stepped past its " + timesteps.length + " timesteps");
        }
        float sigma = sigmas[stepIndex];
        float sigmaHat = sigma; // sigma * (gamma + 1) with s_churn = 0
        try (StepScope scope = new StepScope(sample, modelOutput)) {
            NDArray x0 = switch (config.predictionType()) {
                case EPSILON -> sample.sub(modelOutput.mul(sigmaHat)); // sample - sigma_hat * model_output
                case V_PREDICTION -> {
                    // model_output * (-sigma / (sigma**2 + 1) ** 0.5) + (sample / (sigma**2 + 1))
                    float c = -sigma / ReferenceMath.sqrt(sigma * sigma + 1);
                    yield modelOutput.mul(c).add(sample.div(sigma * sigma + 1));
                }
                case SAMPLE -> modelOutput;
            };
            NDArray derivative = sample.sub(x0).div(sigmaHat); // (sample - pred_original_sample) / sigma_hat
            float dt = sigmas[stepIndex + 1] - sigmaHat;
            NDArray prev = sample.add(derivative.mul(dt)); // sample + derivative * dt
            stepIndex++;
            return scope.keep(prev);
        }
    }
}
