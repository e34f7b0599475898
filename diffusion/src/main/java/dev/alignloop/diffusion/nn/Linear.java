package dev.alignloop.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** {@code nn.Linear(in_features, out_features, bias)}: weight [out, in], bias [out]. */
public final class Linear extends Module {
    private final Parameter weight; // (out, in)
    private final Parameter bias;   // (out) or null

    /** A linear layer with parameters in {@code manager}. */
    public Linear(NDManager manager, long in, long out, boolean bias) {
        this.weight = parameter(manager, "weight", Init.kaimingUniform(in), out, in);
        this.bias = bias ? parameter(manager, "bias", Init.ZEROS, out) : null;
    }

    /** With bias. */
    public Linear(NDManager manager, long in, long out) {
        this(manager, in, out, true);
    }

    /** x [..., in] → [..., out]. */
    public NDArray forward(NDArray x) {
        return F.linear(x, weight.array(), bias == null ? null : bias.array());
    }
}
