package dev.alignloop.diffusion.scheduler;

import java.nio.file.Path;

/** Builds schedulers from {@code scheduler_config.json} ({@code _class_name} picks the class) and saves them. */
public final class Schedulers {
    private Schedulers() {
    }

    /**
     * @param config a scheduler config
     * @return a new scheduler of {@code config.type()}
     */
    public static Scheduler create(SchedulerConfig config) {
        return switch (config.type()) {
            case DDPM -> new DDPMScheduler(config);
            case DDIM -> new DDIMScheduler(config);
            case EULER_DISCRETE -> new EulerDiscreteScheduler(config);
            case DPM_SOLVER_MULTISTEP -> new DPMSolverMultistepScheduler(config);
        };
    }

    /**
     * {@code SchedulerMixin.from_pretrained(dir)}.
     *
     * @param dirOrFile a {@code scheduler/} folder or its {@code scheduler_config.json}
     * @return a new scheduler of the config's {@code _class_name}
     * @throws SchedulerConfigException naming the file, key and value at fault
     * @throws UnsupportedConfigException for classes or options AlignLoop does not implement
     */
    public static Scheduler fromConfig(Path dirOrFile) {
        return create(SchedulerConfig.load(dirOrFile));
    }

    /**
     * {@code T.from_pretrained(dir)} for an explicit class {@code T}, whatever the file's {@code _class_name}
     * (e.g. DDIM sampling for a checkpoint shipped with a PNDM config).
     *
     * @param dirOrFile a {@code scheduler/} folder or its {@code scheduler_config.json}
     * @param type the class to build
     * @return a new scheduler
     */
    public static Scheduler fromConfig(Path dirOrFile, SchedulerType type) {
        return create(SchedulerConfig.load(dirOrFile, type));
    }

    /**
     * @param json the content of a {@code scheduler_config.json}
     * @return a new scheduler of its {@code _class_name}
     */
    public static Scheduler fromJson(String json) {
        return create(SchedulerConfig.parse(json));
    }

    /**
     * {@code save_pretrained(dir)}: writes {@code scheduler_config.json} with the class's keys.
     *
     * @param scheduler the scheduler
     * @param dir the {@code scheduler/} folder (created if needed)
     * @return the file written
     */
    public static Path save(Scheduler scheduler, Path dir) {
        return scheduler.config().save(dir);
    }
}
