package dev.alignloop.diffusion.nn;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Activation functions by their diffusers/transformers config names ({@code act_fn},
 * {@code hidden_act}), as in {@code diffusers.models.activations.get_activation} and
 * {@code transformers.activations.ACT2FN}.
 */
public enum Activation {
    /** {@code silu} / {@code swish}. */
    SILU(F::silu, "silu", "swish"),
    /** Exact (erf) GELU. */
    GELU(F::gelu, "gelu"),
    /** {@code gelu(approximate="tanh")}. */
    GELU_TANH(F::geluTanh, "gelu_pytorch_tanh", "gelu_new", "gelu_fast"),
    /** CLIP's {@code quick_gelu}. */
    QUICK_GELU(F::quickGelu, "quick_gelu"),
    /** ReLU. */
    RELU(x -> x.getNDArrayInternal().relu(), "relu"),
    /** Mish. */
    MISH(x -> x.getNDArrayInternal().mish(), "mish");

    private final UnaryOperator<NDArray> fn;
    private final String[] names;

    Activation(UnaryOperator<NDArray> fn, String... names) {
        this.fn = fn;
        this.names = names;
    }

    /** Applies the activation; the result is a new array in x's manager. */
    public NDArray apply(NDArray x) {
        return fn.apply(x);
    }

    /** The canonical config name. */
    public String configName() {
        return names[0];
    }

    /**
     * Looks up a config name.
     *
     * @param key the config key, for the error message
     * @throws IllegalArgumentException naming the key and the value if unknown
     */
    public static Activation fromName(String key, String name) {
        for (Activation a : values()) {
            if (Arrays.asList(a.names).contains(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException(key + ": unsupported activation '" + name + "'");
    }
}
