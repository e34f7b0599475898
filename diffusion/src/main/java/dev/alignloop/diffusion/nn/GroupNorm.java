package dev.alignloop.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@code nn.GroupNorm(num_groups, num_channels, eps, affine)}: weight/bias [C]. */
public final class GroupNorm extends Module {
    private final int numGroups;
    private final float eps;
    private final Parameter weight; // (C) or null
    private final Parameter bias;   // (C) or null
    private final NDManager manager;
    /** ones(d)/zeros(d) for the inner layer_norm, per group size d (one per input resolution). */
    private final Map<Long, NDArray[]> unitAffine = new ConcurrentHashMap<>();

    /** A group norm with parameters in {@code manager}. */
    public GroupNorm(NDManager manager, int numGroups, long channels, float eps, boolean affine) {
        if (numGroups <= 0 || channels % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm: num_channels " + channels
                    + " must be divisible by num_groups " + numGroups);
        }
        this.numGroups = numGroups;
        this.eps = eps;
        this.manager = manager;
        this.weight = affine ? parameter(manager, "weight", Init.ONES, channels) : null;
        this.bias = affine ? parameter(manager, "bias", Init.ZEROS, channels) : null;
    }

    /** x [B, C, *] → same shape. */
    public NDArray forward(NDArray x) {
        return F.groupNorm(x, numGroups, weight == null ? null : weight.array(), bias == null ? null : bias.array(), eps,
                d -> unitAffine.computeIfAbsent(d, k -> new NDArray[] {manager.ones(new Shape(k)), manager.zeros(new Shape(k))}));
    }
}
