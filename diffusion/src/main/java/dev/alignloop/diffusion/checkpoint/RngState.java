package dev.alignloop.diffusion.checkpoint;

/**
 * Where the trainer's random streams stand: the run's seed and how many draws (e.g. noise and
 * timestep samples) were taken, so a resumed run continues the same sequence.
 *
 * @param seed the run seed
 * @param position draws taken (stream-specific counter, e.g. micro-batches sampled)
 */
public record RngState(long seed, long position) {
    public RngState {
        if (position < 0) {
            throw new IllegalArgumentException("rng position must be >= 0, got " + position);
        }
    }
}
