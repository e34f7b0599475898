package dev.alignloop.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * {@code nn.Linear(in_features, out_features, bias)}: weight [out, in], bias [out].
 *
 * <p>An optional {@link Adapter} adds a side path to the output, as diffusers'
 * {@code LoRACompatibleLinear.set_lora_layer} does: {@code out = F.linear(x, W, b) + adapter(x)}.
 * The adapter's parameters are not this module's (they are not in {@link #namedParameters()}),
 * so the layer saves and loads exactly the checkpoint's {@code weight}/{@code bias}.
 */
public final class Linear extends Module {
    private final Parameter weight; // (out, in)
    private final Parameter bias;   // (out) or null
    private Adapter adapter;

    /** A side path added to a {@link Linear}'s output (e.g. a LoRA update). */
    @FunctionalInterface
    public interface Adapter {
        /** x [..., in] → the term added to the layer's output, [..., out] (a new array). */
        NDArray forward(NDArray x);
    }

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
        NDArray y = F.linear(x, weight.array(), bias == null ? null : bias.array());
        if (adapter == null) {
            return y;
        }
        // result = self.base_layer(x) + lora_B(lora_A(dropout(x))) * scaling (peft LoraLayer.forward)
        try (y; NDArray side = adapter.forward(x)) {
            return y.add(side);
        }
    }

    /** The weight, [out, in]. */
    public Parameter weight() {
        return weight;
    }

    /** The bias, [out], or null. */
    public Parameter bias() {
        return bias;
    }

    /** {@code in_features}. */
    public long inFeatures() {
        return weight.shape().get(1);
    }

    /** {@code out_features}. */
    public long outFeatures() {
        return weight.shape().get(0);
    }

    /** Installs {@code adapter} (null removes it); returns the one it replaces, or null. */
    public Adapter setAdapter(Adapter adapter) {
        Adapter old = this.adapter;
        this.adapter = adapter;
        return old;
    }

    /** The installed adapter, or null. */
    public Adapter adapter() {
        return adapter;
    }
}
