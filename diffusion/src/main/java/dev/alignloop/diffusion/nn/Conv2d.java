package dev.alignloop.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** {@code nn.Conv2d(in, out, kernel_size, stride, padding)} with square kernels: weight [out, in, k, k], bias [out]. */
public final class Conv2d extends Module {
    private final Parameter weight; // (out, in, k, k)
    private final Parameter bias;   // (out) or null
    private final int stride;
    private final int padding;

    /** A convolution with parameters in {@code manager}. */
    public Conv2d(NDManager manager, long in, long out, int kernel, int stride, int padding, boolean bias) {
        this.weight = parameter(manager, "weight", Init.kaimingUniform(in * kernel * kernel), out, in, kernel, kernel);
        this.bias = bias ? parameter(manager, "bias", Init.ZEROS, out) : null;
        this.stride = stride;
        this.padding = padding;
    }

    /** With bias. */
    public Conv2d(NDManager manager, long in, long out, int kernel, int stride, int padding) {
        this(manager, in, out, kernel, stride, padding, true);
    }

    /** x [B, in, H, W] → [B, out, H', W']. */
    public NDArray forward(NDArray x) {
        return F.conv2d(x, weight.array(), bias == null ? null : bias.array(), stride, padding);
    }
}
