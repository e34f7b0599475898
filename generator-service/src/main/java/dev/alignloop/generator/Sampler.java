package dev.alignloop.generator;

import dev.alignloop.diffusion.scheduler.SchedulerType;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The samplers the generator offers, by the name written into every pair's {@code
 * sampler.name} (and into {@code alignloop.generator.sampler}). Each maps to a scheduler class
 * of the diffusion module; the model folder's scheduler config is converted to it like
 * diffusers' {@code XScheduler.from_config(pipe.scheduler.config)}.
 */
public enum Sampler {
    /** Deterministic DDIM (eta 0 unless configured). */
    DDIM("ddim", SchedulerType.DDIM),
    /** Ancestral DDPM: stochastic, needs many steps. */
    DDPM("ddpm", SchedulerType.DDPM),
    /** Euler in sigma space (k-diffusion's {@code sample_euler}). */
    EULER("euler", SchedulerType.EULER_DISCRETE),
    /** DPM-Solver++ (2nd order multistep): good images in 15-25 steps. */
    DPM_SOLVER("dpm-solver++", SchedulerType.DPM_SOLVER_MULTISTEP);

    private final String id;
    private final SchedulerType type;

    Sampler(String id, SchedulerType type) {
        this.id = id;
        this.type = type;
    }

    /** @return the name on pairs and in the configuration, e.g. {@code ddim} */
    public String id() {
        return id;
    }

    /** @return the scheduler class it samples with */
    public SchedulerType schedulerType() {
        return type;
    }

    /**
     * @param name a sampler name, case-insensitive ({@code ddim}, {@code ddpm}, {@code euler},
     *     {@code dpm-solver++}; {@code dpm} is accepted for the last)
     * @return the sampler
     * @throws IllegalArgumentException listing the names, for an unknown one
     */
    public static Sampler parse(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (n.equals("dpm") || n.equals("dpm-solver") || n.equals("dpmsolver++")) {
            return DPM_SOLVER;
        }
        for (Sampler s : values()) {
            if (s.id.equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown sampler '" + name + "'; use one of "
                + Arrays.stream(values()).map(Sampler::id).collect(Collectors.joining(", ")));
    }
}
