package dev.alignloop.diffusion.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.Arrays;

/**
 * diffusers' {@code DPMSolverMultistepScheduler} (DPM-Solver++ 2M by default; arXiv:2206.00927,
 * 2211.01095): {@code dpmsolver++} or {@code dpmsolver}, {@code solver_order} 1 to 3, {@code midpoint} or
 * {@code heun}, lower-order final steps, Karras or Lu lambdas, lambda clipping. The SDE variants are
 * rejected by {@link SchedulerConfig}. The converted outputs of the previous steps are kept in a private
 * manager until {@link #setTimesteps} or {@link #close()}.
 */
public final class DPMSolverMultistepScheduler implements Scheduler {
    private final SchedulerConfig config;
    private final NoiseSchedule schedule;
    // (num_train_timesteps), float32 as torch
    private final float[] trainSigmas;
    private final float[] lambdaT;
    // (steps + 1)
    private float[] sigmas;
    // (steps)
    private long[] timesteps;
    private final NDArray[] modelOutputs;
    private NDManager history;
    private int lowerOrderNums;
    private int stepIndex = -1;

    /**
     * @param config a config of type {@link SchedulerType#DPM_SOLVER_MULTISTEP}
     */
    public DPMSolverMultistepScheduler(SchedulerConfig config) {
        if (config.type() != SchedulerType.DPM_SOLVER_MULTISTEP) {
            throw new IllegalArgumentException("DPMSolverMultistepScheduler needs a DPMSolverMultistepScheduler config,"
                    + " got " + config.type());
        }
        this.config = config;
        this.schedule = NoiseSchedule.of(config);
        float[] ac = schedule.alphasCumprodView();
        trainSigmas = new float[ac.length];
        lambdaT = new float[ac.length];
        for (int i = 0; i < ac.length; i++) {
            trainSigmas[i] = ReferenceMath.sqrt((1 - ac[i]) / ac[i]);
            // lambda_t = log(sqrt(alphas_cumprod)) - log(sqrt(1 - alphas_cumprod))
            lambdaT[i] = ReferenceMath.log(ReferenceMath.sqrt(ac[i])) - ReferenceMath.log(ReferenceMath.sqrt(1 - ac[i]));
        }
        modelOutputs = new NDArray[config.solverOrder()];
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
        int train = config.numTrainTimesteps();
        // clipped_idx = torch.searchsorted(torch.flip(self.lambda_t, [0]), lambda_min_clipped)
        float clip = (float) config.lambdaMinClipped();
        int clipped = 0;
        for (int i = train - 1; i >= 0 && lambdaT[i] < clip; i--) {
            clipped++;
        }
        long[] ts = InferenceTimesteps.dpmSolver(config, n, train - clipped);
        double[] s;
        double last;
        if (config.useKarrasSigmas() || config.useLuLambdas()) {
            float[] logSigmas = EulerDiscreteScheduler.logSigmas(trainSigmas);
            if (config.useKarrasSigmas()) {
                // in_sigmas = np.flip(sigmas): sigma_max = in_sigmas[0], sigma_min = in_sigmas[-1]
                s = SigmaMath.karras(trainSigmas[0], trainSigmas[train - 1], n, 7.0);
            } else {
                // lambdas = np.flip(log_sigmas); sigmas = np.exp(_convert_to_lu(lambdas))
                s = SigmaMath.karras(logSigmas[0], logSigmas[train - 1], n, 1.0);
                for (int i = 0; i < n; i++) {
                    s[i] = Math.exp(s[i]);
                }
            }
            ts = new long[n];
            for (int i = 0; i < n; i++) {
                ts[i] = ReferenceMath.npRoundToLong(SigmaMath.sigmaToT(s[i], logSigmas));
            }
            last = s[n - 1]; // np.concatenate([sigmas, sigmas[-1:]])
        } else {
            s = new double[ts.length];
            for (int i = 0; i < ts.length; i++) {
                s[i] = ReferenceMath.npInterpIndex(ts[i], trainSigmas);
            }
            last = trainSigmas[0]; // ((1 - alphas_cumprod[0]) / alphas_cumprod[0]) ** 0.5
        }
        if (config.finalSigmasType() == FinalSigmasType.ZERO) {
            last = 0;
        }
        float[] newSigmas = new float[s.length + 1];
        for (int i = 0; i < s.length; i++) {
            newSigmas[i] = (float) s[i];
        }
        newSigmas[s.length] = (float) last;
        this.sigmas = newSigmas;
        this.timesteps = ts;
        resetHistory();
    }

    private void resetHistory() {
        Arrays.fill(modelOutputs, null);
        if (history != null) {
            history.close();
            history = null;
        }
        lowerOrderNums = 0;
        stepIndex = -1;
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

    /** @return a copy of the sigmas: one per timestep, then the final sigma */
    public float[] sigmas() {
        requireTimesteps();
        return sigmas.clone();
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
        if (stepIndex < 0) {
            stepIndex = SigmaMath.initStepIndex(timesteps(), timestep, true);
        }
        int len = timesteps.length;
        if (stepIndex >= len) {
            throw new IllegalStateException("DPMSolverMultistepScheduler stepped past its " + len + " timesteps");
        }
        boolean lowerOrderFinal = stepIndex == len - 1 && (config.eulerAtFinal()
                || (config.lowerOrderFinal() && len < 15) || config.finalSigmasType() == FinalSigmasType.ZERO);
        boolean lowerOrderSecond = stepIndex == len - 2 && config.lowerOrderFinal() && len < 15;
        if (history == null) {
            history = NDManager.newBaseManager(sample.getDevice(), sample.getManager().getEngine().getEngineName());
        }
        NDArray dropped = modelOutputs[0];
        NDArray prev;
        try (StepScope scope = new StepScope(sample, concat(modelOutput, modelOutputs))) {
            NDArray converted = convertModelOutput(modelOutput, sample);
            if (converted == modelOutput) {
                converted = modelOutput.duplicate();
            }
            System.arraycopy(modelOutputs, 1, modelOutputs, 0, modelOutputs.length - 1);
            modelOutputs[modelOutputs.length - 1] = converted;
            int order = config.solverOrder();
            DpmSolverUpdates u = new DpmSolverUpdates(config, sigmas, stepIndex);
            if (order == 1 || lowerOrderNums < 1 || lowerOrderFinal) {
                prev = u.firstOrder(converted, sample);
            } else if (order == 2 || lowerOrderNums < 2 || lowerOrderSecond) {
                prev = u.secondOrder(modelOutputs[order - 1], modelOutputs[order - 2], sample);
            } else {
                prev = u.thirdOrder(modelOutputs[2], modelOutputs[1], modelOutputs[0], sample);
            }
            prev = scope.keep(prev);
            converted.attach(history); // after the update, so that its intermediates stay in the step scope
        } catch (RuntimeException e) {
            resetHistory(); // the history may hold arrays the scope freed
            throw e;
        }
        if (dropped != null) {
            dropped.close(); // shifted out of model_outputs
        }
        if (lowerOrderNums < config.solverOrder()) {
            lowerOrderNums++;
        }
        stepIndex++;
        return prev;
    }

    private static NDArray[] concat(NDArray first, NDArray[] rest) {
        NDArray[] all = new NDArray[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    /** {@code convert_model_output}: x0 for dpmsolver++, epsilon for dpmsolver. */
    private NDArray convertModelOutput(NDArray modelOutput, NDArray sample) {
        NDArray out = modelOutput;
        boolean learned = config.varianceType() == VarianceType.LEARNED
                || config.varianceType() == VarianceType.LEARNED_RANGE;
        if (learned && config.predictionType() == PredictionType.EPSILON) {
            out = modelOutput.get(new NDIndex(":, :3")); // model_output[:, :3]
        }
        float sigma = sigmas[stepIndex];
        float alphaT = 1 / ReferenceMath.sqrt(sigma * sigma + 1); // _sigma_to_alpha_sigma_t
        float sigmaT = sigma * alphaT;
        if (config.algorithmType() == AlgorithmType.DPMSOLVER_PLUS_PLUS) {
            NDArray x0 = switch (config.predictionType()) {
                case EPSILON -> sample.sub(out.mul(sigmaT)).div(alphaT); // (sample - sigma_t * model_output) / alpha_t
                case SAMPLE -> modelOutput;
                case V_PREDICTION -> sample.mul(alphaT).sub(modelOutput.mul(sigmaT)); // alpha_t * sample - sigma_t * v
            };
            return config.thresholding()
                    ? DynamicThresholding.apply(x0, config.dynamicThresholdingRatio(), config.sampleMaxValue())
                    : x0;
        }
        NDArray eps = switch (config.predictionType()) {
            case EPSILON -> out;
            case SAMPLE -> sample.sub(modelOutput.mul(alphaT)).div(sigmaT); // (sample - alpha_t * x0) / sigma_t
            case V_PREDICTION -> modelOutput.mul(alphaT).add(sample.mul(sigmaT)); // alpha_t * v + sigma_t * sample
        };
        if (config.thresholding()) {
            NDArray x0 = sample.sub(eps.mul(sigmaT)).div(alphaT);
            x0 = DynamicThresholding.apply(x0, config.dynamicThresholdingRatio(), config.sampleMaxValue());
            eps = sample.sub(x0.mul(alphaT)).div(sigmaT);
        }
        return eps;
    }

    private void requireTimesteps() {
        if (timesteps == null) {
            throw new IllegalStateException("call setTimesteps before sampling with DPMSolverMultistepScheduler");
        }
    }

    @Override
    public void close() {
        resetHistory();
    }
}
