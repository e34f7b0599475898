package dev.alignloop.diffusion.optim;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * A first-order optimizer over named parameters, with PyTorch's update semantics. Parameters are
 * updated in place (outside autograd); parameters without a gradient are skipped, as PyTorch
 * skips {@code p.grad is None}. State is keyed by parameter name so it can be saved to and
 * restored from a checkpoint ({@link #stateDict()}, {@link #loadStateDict(Map)}).
 */
public interface Optimizer extends AutoCloseable {
    /**
     * Applies one update.
     *
     * @param params parameter name to value (updated in place)
     * @param grads parameter name to gradient; names absent here are not updated
     * @param lr the learning rate of this step (from the {@link LrSchedule})
     */
    void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr);

    /** The optimizer's name as stored in checkpoints ({@code AdamW}, {@code Adafactor}). */
    String name();

    /**
     * The per-parameter state as named tensors {@code <state>.<param name>} (e.g.
     * {@code exp_avg.conv_in.weight}, {@code step.conv_in.weight}); copies owned by the caller's
     * manager only if the caller duplicates them — write them out, do not keep them.
     */
    Map<String, NDArray> stateDict();

    /**
     * Replaces the state with {@code state} (as produced by {@link #stateDict()}); the arrays are
     * copied into the optimizer's own manager.
     *
     * @throws IllegalArgumentException naming the entry that is malformed
     */
    void loadStateDict(Map<String, NDArray> state);

    /** Frees the state. */
    @Override
    void close();
}
