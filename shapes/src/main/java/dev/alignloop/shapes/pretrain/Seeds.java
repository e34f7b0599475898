package dev.alignloop.shapes.pretrain;

/** Per-step seed derivation shared by the pretraining data streams. */
public final class Seeds {
    private Seeds() {
    }

    /** SplitMix64 finalizer of (seed, step): independent, well-spread streams per step. */
    public static long mix(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + step + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
