package dev.alignloop.diffusion.scheduler;

import java.util.List;

/**
 * The scheduler classes AlignLoop implements, keyed by diffusers' {@code _class_name}, each with the
 * config keys its diffusers v0.25.0 {@code __init__} registers (what {@code save_config} writes).
 */
public enum SchedulerType {
    /** {@code DDPMScheduler}: ancestral sampling, and the training noise schedule. */
    DDPM("DDPMScheduler", List.of(
            "beta_end", "beta_schedule", "beta_start", "clip_sample", "clip_sample_range",
            "dynamic_thresholding_ratio", "num_train_timesteps", "prediction_type", "rescale_betas_zero_snr",
            "sample_max_value", "steps_offset", "thresholding", "timestep_spacing", "trained_betas",
            "variance_type")),
    /** {@code DDIMScheduler}: deterministic (eta = 0) or stochastic DDIM. */
    DDIM("DDIMScheduler", List.of(
            "beta_end", "beta_schedule", "beta_start", "clip_sample", "clip_sample_range",
            "dynamic_thresholding_ratio", "num_train_timesteps", "prediction_type", "rescale_betas_zero_snr",
            "sample_max_value", "set_alpha_to_one", "steps_offset", "thresholding", "timestep_spacing",
            "trained_betas")),
    /** {@code EulerDiscreteScheduler}: Euler in sigma space (k-diffusion). */
    EULER_DISCRETE("EulerDiscreteScheduler", List.of(
            "beta_end", "beta_schedule", "beta_start", "interpolation_type", "num_train_timesteps",
            "prediction_type", "rescale_betas_zero_snr", "sigma_max", "sigma_min", "steps_offset",
            "timestep_spacing", "timestep_type", "trained_betas", "use_karras_sigmas")),
    /** {@code DPMSolverMultistepScheduler}: DPM-Solver(++) multistep, orders 1 to 3. */
    DPM_SOLVER_MULTISTEP("DPMSolverMultistepScheduler", List.of(
            "algorithm_type", "beta_end", "beta_schedule", "beta_start", "dynamic_thresholding_ratio",
            "euler_at_final", "lambda_min_clipped", "lower_order_final", "num_train_timesteps",
            "prediction_type", "sample_max_value", "solver_order", "solver_type", "steps_offset",
            "thresholding", "timestep_spacing", "trained_betas", "use_karras_sigmas", "use_lu_lambdas",
            "variance_type"));

    private final String className;
    private final List<String> keys;

    SchedulerType(String className, List<String> keys) {
        this.className = className;
        this.keys = keys;
    }

    /** @return diffusers' {@code _class_name} */
    public String className() {
        return className;
    }

    /** @return the config keys diffusers v0.25.0 registers for this class, sorted as {@code save_config} writes them */
    public List<String> keys() {
        return keys;
    }

    /** @return whether diffusers v0.25.0 registers {@code key} for this class */
    public boolean uses(String key) {
        return keys.contains(key);
    }

    /**
     * @param className diffusers' {@code _class_name}
     * @return the matching type
     * @throws UnsupportedConfigException naming the class when AlignLoop does not implement it
     */
    public static SchedulerType forClassName(String className) {
        for (SchedulerType t : values()) {
            if (t.className.equals(className)) {
                return t;
            }
        }
        throw new UnsupportedConfigException("scheduler config key '_class_name' has unsupported value \"" + className
                + "\"; supported: DDPMScheduler, DDIMScheduler, EulerDiscreteScheduler, DPMSolverMultistepScheduler"
                + " (load another class's config as one of these with SchedulerConfig.load(path, type))");
    }
}
