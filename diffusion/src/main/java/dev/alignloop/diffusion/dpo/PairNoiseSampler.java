package dev.alignloop.diffusion.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.scheduler.NoiseGenerator;
import java.util.SplittableRandom;

/**
 * Draws the per-pair noise {@code ε ~ N(0, I)} and timestep {@code t ~ U{0, ..., T-1}} of a
 * training step ({@code torch.randn_like(latents)}, {@code torch.randint(0, T, (bsz,))}),
 * deterministically from {@code (seed, position)}: a run resumed at the same position draws the
 * same values, so the random state of a checkpoint is just the seed and the position. Noise
 * comes from the scheduler package's documented {@link NoiseGenerator}; timesteps from a
 * {@link SplittableRandom} seeded with the same per-draw seed.
 */
public final class PairNoiseSampler {
    private static final long NOISE_STREAM = 0x6E6F697365L; // "noise"
    private final long seed;
    private final int numTrainTimesteps;

    /**
     * @param seed the run seed
     * @param numTrainTimesteps the scheduler's {@code num_train_timesteps}
     */
    public PairNoiseSampler(long seed, int numTrainTimesteps) {
        if (numTrainTimesteps < 1) {
            throw new IllegalArgumentException("num_train_timesteps must be >= 1, got " + numTrainTimesteps);
        }
        this.seed = seed;
        this.numTrainTimesteps = numTrainTimesteps;
    }

    public long seed() {
        return seed;
    }

    /**
     * One draw.
     *
     * @param noise {@code [B, C, H, W]} float32
     * @param timesteps {@code [B]} int64
     */
    public record Draw(NDArray noise, NDArray timesteps) {
    }

    /**
     * The draw at {@code position} (e.g. the micro-batch index) for {@code pairs} pairs of latents
     * shaped {@code latentShape = [C, H, W]}.
     */
    public Draw sample(long position, int pairs, Shape latentShape, NDManager manager) {
        if (position < 0 || pairs < 1 || latentShape.dimension() != 3) {
            throw new IllegalArgumentException("need position >= 0, pairs >= 1 and a [C, H, W] latent shape; got "
                    + position + ", " + pairs + ", " + latentShape);
        }
        long drawSeed = mix(seed, position);
        SplittableRandom rng = new SplittableRandom(drawSeed);
        long[] t = new long[pairs];
        for (int i = 0; i < pairs; i++) {
            t[i] = rng.nextInt(numTrainTimesteps);
        }
        NDArray noise = NoiseGenerator.ofSeeds(drawSeed ^ NOISE_STREAM).randn(manager, new Shape(pairs).addAll(latentShape));
        return new Draw(noise, manager.create(t));
    }

    private static long mix(long seed, long position) {
        long z = seed * 0x9E3779B97F4A7C15L + position;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
