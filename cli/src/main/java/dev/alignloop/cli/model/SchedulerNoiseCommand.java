package dev.alignloop.cli.model;

import dev.alignloop.diffusion.scheduler.SchedulerParityTool;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "scheduler-noise", mixinStandardHelpOptions = true,
        description = "Training-time noising: original, noise, timesteps -> noisy (add_noise) and velocity (get_velocity).")
final class SchedulerNoiseCommand implements Callable<Integer> {
    @Option(names = "--scheduler", required = true, description = "A diffusers scheduler/ folder (scheduler_config.json).")
    Path scheduler;

    @Mixin
    IoOptions io = new IoOptions();

    @Override
    public Integer call() {
        SchedulerParityTool.noise(IoOptions.existing(scheduler, "--scheduler"), io.inputs(), io.output);
        return 0;
    }
}
