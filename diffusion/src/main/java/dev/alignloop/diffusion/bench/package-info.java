/**
 * Side-by-side benchmarks of the DJL diffusion stack against PyTorch eager (DESIGN §7).
 *
 * <p>{@link dev.alignloop.diffusion.bench.DiffusionBench} is the Java half: {@code prepare} writes a
 * benchmark folder (the UNet in the diffusers layout, the scheduler configs, deterministic inputs and
 * this implementation's outputs for a sanity comparison); {@code run} times one case (UNet forward,
 * forward+backward, a 20-step DDIM loop with classifier-free guidance, or one Diffusion-DPO step with
 * AdamW) in its own process and writes the median wall time and the process' peak RSS as JSON.
 * {@code bench/pytorch_baseline.py} is the PyTorch half reading the same folder; {@code bench/run.sh}
 * runs both and writes {@code docs/benchmarks.md}.
 */
package dev.alignloop.diffusion.bench;
