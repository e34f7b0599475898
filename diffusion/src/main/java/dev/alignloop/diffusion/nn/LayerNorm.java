package dev.alignloop.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** {@code nn.LayerNorm(dim, eps, elementwise_affine)} over the last axis: weight/bias [dim]. */
public final class LayerNorm extends Module {
    private final float eps;
    private final Parameter weight; // (dim) or null
    private final Parameter bias;   // (dim) or null

    /** A layer norm with parameters in {@code manager}. */
    public LayerNorm(NDManager manager, long dim, float eps, boolean affine) {
        this.eps = eps;
        this.weight = affine ? parameter(manager, "weight", Init.ONES, dim) : null;
        this.bias = affine ? parameter(manager, "bias", Init.ZEROS, dim) : null;
    }

    /** Affine, PyTorch's default eps 1e-5. */
    public LayerNorm(NDManager manager, long dim) {
        this(manager, dim, 1e-5f, true);
    }

    /** x [..., dim] → same shape. */
    public NDArray forward(NDArray x) {
        return F.layerNorm(x, weight == null ? null : weight.array(), bias == null ? null : bias.array(), eps);
    }
}
