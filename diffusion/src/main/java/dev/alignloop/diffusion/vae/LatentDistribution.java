package dev.alignloop.diffusion.vae;

import dev.alignloop.diffusion.nn.F;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * diffusers' {@code DiagonalGaussianDistribution} over unscaled latents: {@code mean} and
 * {@code logvar} (clamped to [-30, 20]), both [B, latent, h, w], in the input's manager.
 *
 * @param mean the posterior mean ({@code latent_dist.mean}, also {@code mode()})
 * @param logvar the clamped log-variance
 */
public record LatentDistribution(NDArray mean, NDArray logvar) implements AutoCloseable {
    /** {@code std = exp(0.5 * logvar)}. */
    public NDArray std() {
        try (NDArray half = F.mulScalar(logvar, 0.5f)) {
            return half.exp();
        }
    }

    /** {@code mean + std * noise} with caller-supplied standard normal noise of the same shape. */
    public NDArray sample(NDArray noise) {
        if (!noise.getShape().equals(mean.getShape())) {
            throw new IllegalArgumentException("noise shape " + noise.getShape() + " != latent shape " + mean.getShape());
        }
        try (NDArray s = std(); NDArray sn = s.mul(noise)) {
            return mean.add(sn);
        }
    }

    /**
     * {@code mean + std * noise} with noise drawn from {@code seed} on the host (deterministic
     * across engines and devices; not torch's generator stream).
     */
    public NDArray sample(long seed) {
        try (NDArray noise = mean.getManager().create(gaussian(mean.getShape(), seed), mean.getShape())) {
            return sample(noise);
        }
    }

    static float[] gaussian(Shape shape, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] out = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < out.length; i += 2) {
            double u1 = 1.0 - rng.nextDouble();
            double u2 = rng.nextDouble();
            double r = Math.sqrt(-2 * Math.log(u1));
            out[i] = (float) (r * Math.cos(2 * Math.PI * u2));
            if (i + 1 < out.length) {
                out[i + 1] = (float) (r * Math.sin(2 * Math.PI * u2));
            }
        }
        return out;
    }

    @Override
    public void close() {
        mean.close();
        logvar.close();
    }
}
