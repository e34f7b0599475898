package dev.alignloop.diffusion.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.nn.F;
import dev.alignloop.diffusion.nn.Init;
import dev.alignloop.diffusion.nn.Linear;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.nn.Parameter;

/**
 * The LoRA update of one {@link Linear} (peft {@code lora.Linear}, adapter {@code default}):
 * {@code lora_A} [r, in] and {@code lora_B} [out, r], installed as the layer's
 * {@link Linear.Adapter}, so the layer computes {@code base(x) + scaling · B(A(dropout(x)))}.
 *
 * <p>Parameter names are peft's minus the adapter name: {@code lora_A.weight}, {@code lora_B.weight}.
 * Dropout follows the base layer's training mode (in peft the LoRA layer is the base's wrapper, so
 * {@code unet.train()} / {@code eval()} reach it).
 */
public final class LoraLinear extends Module implements Linear.Adapter {
    private final Linear base;
    private final Parameter loraA; // (r, in)
    private final Parameter loraB; // (out, r)
    private final double scaling;
    private final float dropout;

    LoraLinear(NDManager manager, Linear base, int rank, double scaling, double dropout) {
        this.base = base;
        long in = base.inFeatures();
        long out = base.outFeatures();
        // peft reset_lora_parameters(init_lora_weights=True): kaiming_uniform_(lora_A, a=sqrt(5)), i.e.
        // U(-1/sqrt(in), 1/sqrt(in)); zeros_(lora_B), so a fresh adapter leaves the layer unchanged.
        this.loraA = register("lora_A", new Weight(manager, Init.kaimingUniform(in), rank, in)).weight;
        this.loraB = register("lora_B", new Weight(manager, Init.ZEROS, out, rank)).weight;
        this.scaling = scaling;
        this.dropout = (float) dropout;
    }

    /** A bias-free linear's weight: the {@code lora_A} / {@code lora_B} modules. */
    private static final class Weight extends Module {
        final Parameter weight;

        Weight(NDManager manager, Init init, long out, long in) {
            this.weight = parameter(manager, "weight", init, out, in);
        }
    }

    /** x [..., in] → {@code lora_B(lora_A(dropout(x))) * scaling}, [..., out]. */
    @Override
    public NDArray forward(NDArray x) {
        try (NDArray d = F.dropout(x, dropout, base.isTraining());
             NDArray a = F.linear(d, loraA.array(), null); // [..., r]
             NDArray b = F.linear(a, loraB.array(), null)) { // [..., out]
            return F.mulScalar(b, (float) scaling);
        }
    }

    /** {@code scaling · (B @ A)} [out, in], the update merging adds to the base weight (peft {@code get_delta_weight}). */
    public NDArray deltaWeight() {
        // detached views: the update is plain data, outside any autograd graph
        try (NDArray a = loraA.array().stopGradient(); NDArray b = loraB.array().stopGradient(); NDArray ba = b.matMul(a)) {
            return F.mulScalar(ba, (float) scaling);
        }
    }

    /** The adapted layer. */
    public Linear base() {
        return base;
    }

    /** {@code lora_A.weight}, [r, in]. */
    public Parameter loraA() {
        return loraA;
    }

    /** {@code lora_B.weight}, [out, r]. */
    public Parameter loraB() {
        return loraB;
    }

    /** {@code alpha / r}. */
    public double scaling() {
        return scaling;
    }
}
