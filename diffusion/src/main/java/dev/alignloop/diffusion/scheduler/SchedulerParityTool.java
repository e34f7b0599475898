package dev.alignloop.diffusion.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.safetensors.SafeTensors;
import dev.alignloop.diffusion.safetensors.SafeTensorsException;
import dev.alignloop.diffusion.safetensors.SafeTensorsWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The library side of the CLI's {@code model scheduler-trace} and {@code model scheduler-noise} parity
 * tools (parity/README.md): read inputs from safetensors, run the scheduler, write the outputs diffusers'
 * reference script writes.
 */
public final class SchedulerParityTool {
    private SchedulerParityTool() {
    }

    /**
     * {@code scheduler-trace}: {@code set_timesteps(steps)}, then for each timestep {@code i}:
     * {@code scaled_model_inputs[i] = scale_model_input(latents, t)} and
     * {@code latents = step(model_outputs[i], t, latents)}.
     *
     * @param schedulerDir the {@code scheduler/} folder
     * @param steps the number of inference steps
     * @param inputs safetensors with {@code latents} (B, C, H, W), already times {@code init_noise_sigma}, and
     *     {@code model_outputs} (N, B, C, H, W); an optional {@code variance_noise} (N, B, C, H, W) feeds
     *     stochastic steps (DDPM), otherwise they draw from {@code NoiseGenerator.ofSeeds(0)}
     * @param output where to write {@code timesteps} (N) float32, {@code init_noise_sigma} (1) float32,
     *     {@code scaled_model_inputs} (N, B, C, H, W) and {@code latents} (N, B, C, H, W)
     */
    public static void trace(Path schedulerDir, int steps, Path inputs, Path output) {
        try (NDManager manager = NDManager.newBaseManager();
                Scheduler scheduler = Schedulers.fromConfig(schedulerDir)) {
            Map<String, NDArray> in = SafeTensors.load(inputs, manager);
            NDArray latents = require(in, "latents", inputs);
            NDArray modelOutputs = require(in, "model_outputs", inputs);
            NDArray varianceNoise = in.get("variance_noise");
            scheduler.setTimesteps(steps);
            float[] timesteps = scheduler.timesteps();
            if (modelOutputs.getShape().get(0) < timesteps.length) {
                throw new SafeTensorsException(inputs + ": model_outputs holds " + modelOutputs.getShape().get(0)
                        + " steps, the scheduler runs " + timesteps.length);
            }
            NoiseGenerator generator = NoiseGenerator.ofSeeds(0);
            List<NDArray> scaled = new ArrayList<>();
            List<NDArray> trace = new ArrayList<>();
            for (int i = 0; i < timesteps.length; i++) {
                scaled.add(scheduler.scaleModelInput(latents, timesteps[i]).duplicate());
                NDArray modelOutput = modelOutputs.get(i);
                if (varianceNoise != null) {
                    latents = stepWithNoise(scheduler, modelOutput, timesteps[i], latents, varianceNoise.get(i));
                } else {
                    latents = scheduler.step(modelOutput, timesteps[i], latents, generator);
                }
                trace.add(latents);
            }
            Map<String, NDArray> out = new LinkedHashMap<>();
            out.put("timesteps", manager.create(timesteps));
            out.put("init_noise_sigma", manager.create(new float[] {scheduler.initNoiseSigma()}, new Shape(1)));
            out.put("scaled_model_inputs", NDArrays.stack(new NDList(scaled)));
            out.put("latents", NDArrays.stack(new NDList(trace)));
            SafeTensorsWriter.writeArrays(output, out, Map.of("format", "pt", "tool", "scheduler-trace"));
        }
    }

    /** A stochastic step whose noise is given: a generator replaying exactly that tensor. */
    private static NDArray stepWithNoise(Scheduler s, NDArray modelOutput, float t, NDArray latents, NDArray noise) {
        NoiseGenerator replay = NoiseGenerator.replaying(noise.toFloatArray());
        return s.step(modelOutput, t, latents, replay);
    }

    /**
     * {@code scheduler-noise}: {@code noisy = add_noise(original, noise, timesteps)} and
     * {@code velocity = get_velocity(original, noise, timesteps)} with the config's training schedule.
     *
     * @param schedulerDir the {@code scheduler/} folder
     * @param inputs safetensors with {@code original} (B, ...), {@code noise} (B, ...), {@code timesteps} (B) int64
     * @param output where to write {@code noisy} and {@code velocity}
     */
    public static void noise(Path schedulerDir, Path inputs, Path output) {
        NoiseSchedule schedule = NoiseSchedule.of(SchedulerConfig.load(schedulerDir));
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> in = SafeTensors.load(inputs, manager);
            NDArray original = require(in, "original", inputs);
            NDArray noise = require(in, "noise", inputs);
            NDArray timesteps = require(in, "timesteps", inputs);
            Map<String, NDArray> out = new LinkedHashMap<>();
            out.put("noisy", schedule.addNoise(original, noise, timesteps));
            out.put("velocity", schedule.velocity(original, noise, timesteps));
            SafeTensorsWriter.writeArrays(output, out, Map.of("format", "pt", "tool", "scheduler-noise"));
        }
    }

    private static NDArray require(Map<String, NDArray> in, String name, Path file) {
        NDArray a = in.get(name);
        if (a == null) {
            throw new SafeTensorsException(file + ": missing input tensor '" + name + "' (has " + in.keySet() + ")");
        }
        return a;
    }
}
