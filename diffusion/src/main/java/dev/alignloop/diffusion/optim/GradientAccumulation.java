package dev.alignloop.diffusion.optim;

/**
 * Micro-batch bookkeeping of {@code accelerator.accumulate}: gradients of
 * {@code gradientAccumulationSteps} micro-batches add up (backward accumulates), each loss is
 * scaled by {@code 1 / steps}, and the optimizer steps (then gradients are zeroed) on the last
 * micro-batch of each group.
 */
public final class GradientAccumulation {
    private final int steps;
    private int pending;

    public GradientAccumulation(int gradientAccumulationSteps) {
        if (gradientAccumulationSteps < 1) {
            throw new IllegalArgumentException("gradient_accumulation_steps must be >= 1, got " + gradientAccumulationSteps);
        }
        this.steps = gradientAccumulationSteps;
    }

    /** {@code gradient_accumulation_steps}. */
    public int steps() {
        return steps;
    }

    /** Multiplier of each micro-batch loss before backward. */
    public double lossScale() {
        return 1.0 / steps;
    }

    /**
     * Records one micro-batch backward.
     *
     * @return true when this micro-batch completes a group: clip, step the optimizer and zero grads now
     */
    public boolean microStep() {
        pending++;
        if (pending == steps) {
            pending = 0;
            return true;
        }
        return false;
    }

    /** Micro-batches accumulated since the last optimizer step (0 right after one). */
    public int pending() {
        return pending;
    }

    /** Restores the position within a group (from a checkpoint). */
    public void restore(int pendingMicroSteps) {
        if (pendingMicroSteps < 0 || pendingMicroSteps >= steps) {
            throw new IllegalArgumentException("pending micro-steps must be in [0, " + steps + "), got " + pendingMicroSteps);
        }
        this.pending = pendingMicroSteps;
    }
}
