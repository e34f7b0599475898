package dev.alignloop.cli.model;

import dev.alignloop.diffusion.scheduler.SchedulerParityTool;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "scheduler-trace", mixinStandardHelpOptions = true,
        description = {"Run a scheduler for N steps on given model outputs.",
                "Inputs: latents (already x init_noise_sigma), model_outputs[i] for step i. "
                        + "Outputs: timesteps, init_noise_sigma, scaled_model_inputs[i], latents[i]."})
final class SchedulerTraceCommand implements Callable<Integer> {
    @Option(names = "--scheduler", required = true, description = "A diffusers scheduler/ folder (scheduler_config.json).")
    Path scheduler;

    @Option(names = "--steps", required = true, description = "Number of inference steps (set_timesteps).")
    int steps;

    @Mixin
    IoOptions io = new IoOptions();

    @Override
    public Integer call() {
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
        }
        SchedulerParityTool.trace(IoOptions.existing(scheduler, "--scheduler"), steps, io.inputs(), io.output);
        return 0;
    }
}
