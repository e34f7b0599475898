package dev.alignloop.diffusion.optim;

import ai.djl.ndarray.NDArray;
import dev.alignloop.diffusion.nn.Module;
import java.util.LinkedHashMap;
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

    /**
     * Steps every trainable parameter of {@code module} that has a gradient, keyed by its
     * diffusers name (so the state matches {@link #stateDict()} of earlier runs).
     */
    default void step(Module module, double lr) {
        Map<String, NDArray> params = new LinkedHashMap<>();
        Map<String, NDArray> grads = new LinkedHashMap<>();
        try {
            module.namedParameters().forEach((name, p) -> {
                if (p.requiresGrad() && p.array().hasGradient()) {
                    params.put(name, p.array());
                    grads.put(name, p.gradient());
                }
            });
            step(params, grads, lr);
        } finally {
            grads.values().forEach(NDArray::close);
        }
    }

    /** The optimizer's name as stored in checkpoints ({@code AdamW}, {@code Adafactor}). */
    String name();

    /**
     * The per-parameter state as named tensors {@code <state>.<param name>} (e.g.
     * {@code exp_avg.conv_in.weight}, {@code step.conv_in.weight}). The arrays are the live state:
     * write them out (checkpoint) or duplicate them; do not close or modify them.
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
