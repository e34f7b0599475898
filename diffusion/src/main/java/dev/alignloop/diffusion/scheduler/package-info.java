/**
 * Diffusion schedulers that reproduce diffusers v0.25.0 from a {@code scheduler_config.json}:
 * {@link dev.alignloop.diffusion.scheduler.DDPMScheduler} (training noise and ancestral sampling),
 * {@link dev.alignloop.diffusion.scheduler.DDIMScheduler},
 * {@link dev.alignloop.diffusion.scheduler.EulerDiscreteScheduler} and
 * {@link dev.alignloop.diffusion.scheduler.DPMSolverMultistepScheduler}, behind the common
 * {@link dev.alignloop.diffusion.scheduler.Scheduler} interface; build them with
 * {@link dev.alignloop.diffusion.scheduler.Schedulers}.
 *
 * <p>Precision follows the reference: the training schedule ({@code betas}, {@code alphas_cumprod}) is
 * float32 as torch computes it, Euler and DPM-Solver sigmas are interpolated in float64 (numpy) and
 * stored float32, and per-step scalars are float32 like diffusers' 0-dim tensors. The tensor math runs
 * on DJL {@code NDArray}s in the reference's order of operations.
 */
package dev.alignloop.diffusion.scheduler;
