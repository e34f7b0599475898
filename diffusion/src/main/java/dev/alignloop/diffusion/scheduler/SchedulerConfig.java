package dev.alignloop.diffusion.scheduler;

import java.nio.file.Path;

/**
 * {@code scheduler_config.json}, one component per key, as diffusers v0.25.0 reads it. Keys missing from
 * the file take the defaults of the class's {@code __init__} (they differ per class: DDIM and DDPM space
 * timesteps {@code leading} and clip samples by default, Euler and DPM-Solver use {@code linspace}). Keys a
 * class does not register are kept (so {@link #withType} converts like {@code X.from_config(config)}) but
 * ignored by that class. Validation names the key and value at fault.
 *
 * @param type {@code _class_name}
 * @param numTrainTimesteps {@code num_train_timesteps}
 * @param betaStart {@code beta_start}
 * @param betaEnd {@code beta_end}
 * @param betaSchedule {@code beta_schedule}
 * @param trainedBetas {@code trained_betas}, or null
 * @param predictionType {@code prediction_type}
 * @param timestepSpacing {@code timestep_spacing}
 * @param stepsOffset {@code steps_offset}
 * @param setAlphaToOne {@code set_alpha_to_one} (DDIM)
 * @param clipSample {@code clip_sample} (DDPM, DDIM)
 * @param clipSampleRange {@code clip_sample_range} (DDPM, DDIM)
 * @param thresholding {@code thresholding}: dynamic thresholding of x0 (DDPM, DDIM, DPM-Solver)
 * @param dynamicThresholdingRatio {@code dynamic_thresholding_ratio}
 * @param sampleMaxValue {@code sample_max_value}
 * @param rescaleBetasZeroSnr {@code rescale_betas_zero_snr} (DDPM, DDIM, Euler)
 * @param varianceType {@code variance_type}; null means absent (DPM-Solver's default)
 * @param interpolationType {@code interpolation_type} (Euler)
 * @param useKarrasSigmas {@code use_karras_sigmas} (Euler, DPM-Solver)
 * @param sigmaMin {@code sigma_min} (Euler, Karras sigmas), or null
 * @param sigmaMax {@code sigma_max} (Euler, Karras sigmas), or null
 * @param timestepType {@code timestep_type} (Euler)
 * @param algorithmType {@code algorithm_type} (DPM-Solver)
 * @param solverType {@code solver_type} (DPM-Solver)
 * @param solverOrder {@code solver_order} (DPM-Solver), 1 to 3
 * @param lowerOrderFinal {@code lower_order_final} (DPM-Solver)
 * @param eulerAtFinal {@code euler_at_final} (DPM-Solver)
 * @param useLuLambdas {@code use_lu_lambdas} (DPM-Solver)
 * @param lambdaMinClipped {@code lambda_min_clipped} (DPM-Solver)
 * @param finalSigmasType {@code final_sigmas_type} (DPM-Solver, not a v0.25.0 key); null means absent, which
 *     is v0.25.0's behaviour
 */
public record SchedulerConfig(
        SchedulerType type,
        int numTrainTimesteps,
        double betaStart,
        double betaEnd,
        BetaSchedule betaSchedule,
        double[] trainedBetas,
        PredictionType predictionType,
        TimestepSpacing timestepSpacing,
        int stepsOffset,
        boolean setAlphaToOne,
        boolean clipSample,
        double clipSampleRange,
        boolean thresholding,
        double dynamicThresholdingRatio,
        double sampleMaxValue,
        boolean rescaleBetasZeroSnr,
        VarianceType varianceType,
        InterpolationType interpolationType,
        boolean useKarrasSigmas,
        Double sigmaMin,
        Double sigmaMax,
        TimestepType timestepType,
        AlgorithmType algorithmType,
        SolverType solverType,
        int solverOrder,
        boolean lowerOrderFinal,
        boolean eulerAtFinal,
        boolean useLuLambdas,
        double lambdaMinClipped,
        FinalSigmasType finalSigmasType) {

    /** The file name diffusers uses inside a {@code scheduler/} folder. */
    public static final String FILE_NAME = "scheduler_config.json";

    /** Validates the values the way diffusers' constructors do, and rejects what AlignLoop does not implement. */
    public SchedulerConfig {
        require(type != null, "_class_name", null, "is required");
        require(numTrainTimesteps >= 1, "num_train_timesteps", numTrainTimesteps, "must be >= 1");
        require(stepsOffset >= 0, "steps_offset", stepsOffset, "must be >= 0");
        require(betaSchedule != null, "beta_schedule", null, "is required");
        require(predictionType != null, "prediction_type", null, "is required");
        require(timestepSpacing != null, "timestep_spacing", null, "is required");
        require(interpolationType != null && timestepType != null && algorithmType != null && solverType != null,
                "interpolation_type/timestep_type/algorithm_type/solver_type", null, "are required");
        if (trainedBetas != null) {
            trainedBetas = trainedBetas.clone();
            require(trainedBetas.length == numTrainTimesteps, "trained_betas", trainedBetas.length + " values",
                    "must hold num_train_timesteps = " + numTrainTimesteps + " values");
            for (double b : trainedBetas) {
                require(b >= 0 && b < 1, "trained_betas", b, "must hold values in [0, 1)");
            }
        } else {
            require(Double.isFinite(betaStart) && betaStart >= 0 && betaStart < 1, "beta_start", betaStart,
                    "must be in [0, 1)");
            require(Double.isFinite(betaEnd) && betaEnd >= 0 && betaEnd < 1, "beta_end", betaEnd, "must be in [0, 1)");
        }
        require(clipSampleRange > 0, "clip_sample_range", clipSampleRange, "must be > 0");
        require(dynamicThresholdingRatio > 0 && dynamicThresholdingRatio <= 1, "dynamic_thresholding_ratio",
                dynamicThresholdingRatio, "must be in (0, 1]");
        require(sampleMaxValue > 0, "sample_max_value", sampleMaxValue, "must be > 0");
        require(sigmaMin == null || sigmaMin > 0, "sigma_min", sigmaMin, "must be > 0");
        require(sigmaMax == null || sigmaMax > 0, "sigma_max", sigmaMax, "must be > 0");
        require(solverOrder >= 1 && solverOrder <= 3, "solver_order", solverOrder, "must be 1, 2 or 3");
        require(!Double.isNaN(lambdaMinClipped), "lambda_min_clipped", lambdaMinClipped, "must be a number");
        checkSupported(type, betaSchedule, varianceType, rescaleBetasZeroSnr, algorithmType, finalSigmasType,
                useKarrasSigmas, useLuLambdas);
    }

    private static void checkSupported(SchedulerType type, BetaSchedule betaSchedule, VarianceType varianceType,
            boolean rescaleBetasZeroSnr, AlgorithmType algorithmType, FinalSigmasType finalSigmasType,
            boolean useKarrasSigmas, boolean useLuLambdas) {
        String cls = type.className();
        require(betaSchedule != BetaSchedule.SIGMOID || type == SchedulerType.DDPM, "beta_schedule", "sigmoid",
                "is implemented by DDPMScheduler only, not " + cls);
        switch (type) {
            case DDPM -> {
                require(varianceType != null, "variance_type", null, "is required by DDPMScheduler");
                if (varianceType == VarianceType.FIXED_LARGE_LOG) {
                    throw new UnsupportedConfigException("scheduler config key 'variance_type' value \"fixed_large_log\""
                            + " is not supported: DDPMScheduler v0.25.0 takes the square root of a log variance there");
                }
            }
            case DPM_SOLVER_MULTISTEP -> {
                require(varianceType == null || varianceType == VarianceType.LEARNED
                        || varianceType == VarianceType.LEARNED_RANGE, "variance_type", value(varianceType),
                        "must be null, \"learned\" or \"learned_range\" for DPMSolverMultistepScheduler");
                if (rescaleBetasZeroSnr) {
                    throw new UnsupportedConfigException("scheduler config key 'rescale_betas_zero_snr' value true is"
                            + " not supported by DPMSolverMultistepScheduler (diffusers v0.25.0 ignores it)");
                }
                if (algorithmType == AlgorithmType.SDE_DPMSOLVER
                        || algorithmType == AlgorithmType.SDE_DPMSOLVER_PLUS_PLUS) {
                    throw new UnsupportedConfigException("scheduler config key 'algorithm_type' value \""
                            + algorithmType.value() + "\" is not supported; use \"dpmsolver++\" or \"dpmsolver\"");
                }
                require(finalSigmasType != FinalSigmasType.ZERO || algorithmType == AlgorithmType.DPMSOLVER_PLUS_PLUS,
                        "final_sigmas_type", "zero", "requires algorithm_type \"dpmsolver++\"");
                require(!(useKarrasSigmas && useLuLambdas), "use_karras_sigmas", true,
                        "conflicts with use_lu_lambdas = true");
            }
            default -> { }
        }
    }

    private static String value(ConfigValue v) {
        return v == null ? null : v.value();
    }

    private static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            throw new SchedulerConfigException(
                    "scheduler config key '" + key + "' " + (value == null ? "" : "value " + value + " ") + rule);
        }
    }

    /** @return a copy of {@code trained_betas}, or null */
    @Override
    public double[] trainedBetas() {
        return trainedBetas == null ? null : trainedBetas.clone();
    }

    /**
     * Reads {@code scheduler_config.json} from a folder (or the file itself), choosing the class from
     * {@code _class_name}.
     *
     * @param dirOrFile a {@code scheduler/} folder or its json file
     * @return the config
     * @throws SchedulerConfigException naming the file and key at fault
     */
    public static SchedulerConfig load(Path dirOrFile) {
        return SchedulerConfigJson.load(dirOrFile, null);
    }

    /**
     * Reads a config as another class, like diffusers' {@code DDIMScheduler.from_config(other_config)}:
     * keys present in the file are used, missing ones take {@code type}'s defaults, {@code _class_name}
     * is not consulted.
     *
     * @param dirOrFile a {@code scheduler/} folder or its json file
     * @param type the class to read it as
     * @return the config
     */
    public static SchedulerConfig load(Path dirOrFile, SchedulerType type) {
        return SchedulerConfigJson.load(dirOrFile, type);
    }

    /**
     * @param json the content of a {@code scheduler_config.json}
     * @return the config
     */
    public static SchedulerConfig parse(String json) {
        return SchedulerConfigJson.parse(json, "<json>", null);
    }

    /**
     * @param json the content of a {@code scheduler_config.json}
     * @param type the class to read it as ({@code _class_name} is then not consulted)
     * @return the config
     */
    public static SchedulerConfig parse(String json, SchedulerType type) {
        return SchedulerConfigJson.parse(json, "<json>", type);
    }

    /** @return the json diffusers' {@code save_config} writes for this class: its keys, sorted */
    public String toJson() {
        return SchedulerConfigJson.write(this);
    }

    /**
     * Writes {@code scheduler_config.json} into {@code dir} (created if needed).
     *
     * @param dir a {@code scheduler/} folder
     * @return the file written
     */
    public Path save(Path dir) {
        return SchedulerConfigJson.save(this, dir);
    }

    /**
     * Converts like {@code T.from_config(scheduler.config)}: every key this class registers carries
     * over, the others take {@code target}'s defaults.
     *
     * @param target the class to convert to
     * @return the converted config
     */
    public SchedulerConfig withType(SchedulerType target) {
        return target == type ? this : SchedulerConfigJson.parse(toJson(), type.className() + " config", target);
    }

    /** Two configs are equal when every key (not only those {@link #type} registers) has the same value. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SchedulerConfig c && SchedulerConfigJson.writeAllKeys(this).equals(SchedulerConfigJson.writeAllKeys(c));
    }

    @Override
    public int hashCode() {
        return SchedulerConfigJson.writeAllKeys(this).hashCode();
    }

    @Override
    public String toString() {
        return "SchedulerConfig" + toJson().replaceAll("\\s+", " ");
    }
}
