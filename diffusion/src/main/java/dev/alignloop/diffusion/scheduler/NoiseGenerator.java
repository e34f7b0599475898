package dev.alignloop.diffusion.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Seeded standard-normal noise, one independent stream per batch element (like diffusers' list of
 * {@code torch.Generator}s): the same seed gives the same image whatever the batch it is generated in,
 * the engine, the device or the JDK.
 *
 * <p>The algorithm is fixed and documented so that other languages can reproduce it exactly: each
 * stream is SplitMix64 (Steele, Lea and Flood 2014) started at the seed; a uniform double is
 * {@code (next() >>> 11) * 2^-53}; normals come in pairs by Box–Muller,
 * {@code r = sqrt(-2 ln(1 - u1))}, {@code z0 = r cos(2 pi u2)}, {@code z1 = r sin(2 pi u2)}, computed with
 * {@link StrictMath} (bit-reproducible across JVMs) in double and rounded to float. An element count
 * that is odd discards the last {@code z1}. Values are filled in row-major order.
 *
 * <p>This cannot reproduce torch's CPU or CUDA generator (torch's Mersenne Twister / Philox streams and
 * their vectorised Box–Muller are engine internals); parity with diffusers is instead obtained by
 * passing the same initial latents explicitly.
 */
public final class NoiseGenerator {
    private final long[] states;
    private final float[] replay;
    private int replayed;

    private NoiseGenerator(long[] seeds, float[] replay) {
        if (seeds.length == 0) {
            throw new IllegalArgumentException("a NoiseGenerator needs at least one seed");
        }
        this.states = seeds.clone();
        this.replay = replay;
    }

    /**
     * @param seeds one seed per batch element (or a single seed for the whole batch)
     * @return a generator with one stream per seed
     */
    public static NoiseGenerator ofSeeds(long... seeds) {
        return new NoiseGenerator(seeds, null);
    }

    /**
     * A generator that hands out {@code values} in order instead of drawing (to feed noise recorded from
     * diffusers into stochastic steps).
     *
     * @param values the noise, row-major, in the order it will be requested
     * @return a replaying generator
     */
    public static NoiseGenerator replaying(float[] values) {
        return new NoiseGenerator(new long[] {0}, values.clone());
    }

    /** @return the number of independent streams */
    public int streams() {
        return states.length;
    }

    /**
     * Draws standard normals shaped {@code shape}. With one stream per batch element, row {@code b}
     * (the sub-array {@code [b, ...]}) comes from stream {@code b}; with a single stream, the whole array
     * comes from it in row-major order.
     *
     * @param manager where to create the array
     * @param shape (B, ...) with B equal to {@link #streams()}, or any shape with one stream
     * @return float32 noise
     */
    public NDArray randn(NDManager manager, Shape shape) {
        return manager.create(randnFloats(shape), shape);
    }

    /**
     * @param shape as {@link #randn}
     * @return the values {@link #randn} would return, in row-major order
     */
    public synchronized float[] randnFloats(Shape shape) {
        long total = shape.size();
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("noise of shape " + shape + " is too large");
        }
        float[] out = new float[(int) total];
        if (replay != null) {
            if (replayed + out.length > replay.length) {
                throw new IllegalStateException("replayed noise exhausted: " + (replay.length - replayed)
                        + " values left, " + out.length + " requested");
            }
            System.arraycopy(replay, replayed, out, 0, out.length);
            replayed += out.length;
            return out;
        }
        if (states.length == 1) {
            fill(0, out, 0, out.length);
            return out;
        }
        if (shape.dimension() == 0 || shape.get(0) != states.length) {
            throw new IllegalArgumentException("noise of shape " + shape + " needs " + states.length
                    + " rows, one per seed");
        }
        int row = (int) (total / states.length);
        for (int b = 0; b < states.length; b++) {
            fill(b, out, b * row, row);
        }
        return out;
    }

    private void fill(int stream, float[] out, int from, int count) {
        for (int i = 0; i < count; i += 2) {
            double u1 = uniform(stream);
            double u2 = uniform(stream);
            double r = StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u1));
            double angle = 2.0 * Math.PI * u2;
            out[from + i] = (float) (r * StrictMath.cos(angle));
            if (i + 1 < count) {
                out[from + i + 1] = (float) (r * StrictMath.sin(angle));
            }
        }
    }

    private double uniform(int stream) {
        return (nextLong(stream) >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64. */
    private long nextLong(int stream) {
        long z = (states[stream] += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return "NoiseGenerator[streams=" + states.length + "]";
    }
}
