package dev.alignloop.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A PyTorch-style module: named children and named parameters whose dotted paths are exactly
 * the checkpoint names ({@code down_blocks.0.resnets.0.conv1.weight}).
 *
 * <p>Subclasses register children and parameters in their constructor, in the same order as
 * the PyTorch class, and write their own {@code forward} methods (their signatures differ per
 * module, as in PyTorch). Parameters live in the NDManager given to the constructor.
 */
public abstract class Module {
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private boolean training = true;
    private boolean gradientCheckpointing;

    /** Registers a child under {@code name} and returns it (PyTorch attribute assignment). */
    protected final <M extends Module> M register(String name, M child) {
        checkName(name);
        Objects.requireNonNull(child, name);
        children.put(name, child);
        child.train(training);
        return child;
    }

    /** Registers a parameter holding {@code initial} (owned by this module from now on). */
    protected final Parameter parameter(String name, NDArray initial, Init init) {
        checkName(name);
        Parameter p = new Parameter(initial, init);
        parameters.put(name, p);
        return p;
    }

    /** Creates and registers a zero-filled float32 parameter of {@code shape} in {@code manager}. */
    protected final Parameter parameter(NDManager manager, String name, Init init, long... shape) {
        NDArray initial = init.kind() == Init.Kind.ONES ? manager.ones(new Shape(shape)) : manager.zeros(new Shape(shape));
        return parameter(name, initial, init);
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("invalid module/parameter name '" + name + "'");
        }
        if (children.containsKey(name) || parameters.containsKey(name)) {
            throw new IllegalArgumentException("'" + name + "' is already registered in " + getClass().getSimpleName());
        }
    }

    /** Direct children in registration order. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** All parameters of this module and its descendants, keyed by dotted path, in registration order. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        parameters.forEach((n, p) -> out.put(prefix + n, p));
        children.forEach((n, c) -> c.collect(prefix + n + ".", out));
    }

    /** The live parameter arrays keyed by path (like {@code state_dict()}: references, not copies). */
    public final Map<String, NDArray> stateDict() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        namedParameters().forEach((n, p) -> out.put(n, p.array()));
        return out;
    }

    /** Total number of scalar parameters. */
    public final long parameterCount() {
        long n = 0;
        for (Parameter p : namedParameters().values()) {
            n += p.shape().size();
        }
        return n;
    }

    /**
     * Copies {@code state} into the parameters (float types converted to float32). Shape
     * mismatches always fail; with {@code strict}, missing and unexpected keys fail too. All
     * problems are reported together before anything is changed.
     *
     * @param source names the origin in error messages (e.g. the file)
     * @throws ModelLoadException naming every missing, unexpected and mis-shaped tensor
     */
    public final void loadStateDict(Map<String, NDArray> state, boolean strict, String source) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        state.forEach((k, v) -> shapes.put(k, v.getShape()));
        load(shapes, state::get, false, strict, source);
    }

    /**
     * Loads tensors one at a time (for checkpoints larger than memory twice over): names and
     * shapes are checked first from {@code shapes} (e.g. a safetensors header), then {@code read}
     * is called once per parameter; the array it returns is copied and closed.
     *
     * @throws ModelLoadException naming every missing, unexpected and mis-shaped tensor
     */
    public final void loadLazily(Map<String, Shape> shapes, java.util.function.Function<String, NDArray> read,
                                 boolean strict, String source) {
        load(shapes, read, true, strict, source);
    }

    private void load(Map<String, Shape> shapes, java.util.function.Function<String, NDArray> read, boolean closeRead,
                      boolean strict, String source) {
        Map<String, Parameter> own = namedParameters();
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : own.entrySet()) {
            Shape s = shapes.get(e.getKey());
            if (s == null) {
                missing.add(e.getKey());
            } else if (!s.equals(e.getValue().shape())) {
                mismatched.add(e.getKey() + ": expected " + e.getValue().shape() + " but got " + s);
            }
        }
        Set<String> unexpected = new LinkedHashSet<>(shapes.keySet());
        unexpected.removeAll(own.keySet());
        if (!mismatched.isEmpty() || (strict && (!missing.isEmpty() || !unexpected.isEmpty()))) {
            throw new ModelLoadException(source, missing, new ArrayList<>(unexpected), mismatched);
        }
        for (Map.Entry<String, Parameter> e : own.entrySet()) {
            if (shapes.containsKey(e.getKey())) {
                NDArray v = read.apply(e.getKey());
                try {
                    e.getValue().set(v);
                } finally {
                    if (closeRead) {
                        v.close();
                    }
                }
            }
        }
    }

    /** {@link #loadStateDict(Map, boolean, String)} with a generic source name. */
    public final void loadStateDict(Map<String, NDArray> state, boolean strict) {
        loadStateDict(state, strict, "state dict");
    }

    /**
     * Fills every parameter from its {@link Init}, deterministically: each parameter draws from
     * its own stream seeded by {@code seed} and its path, so adding a module does not change
     * the values of the others.
     */
    public final void initialize(long seed) {
        namedParameters().forEach((path, p) -> {
            long s = new SplittableRandom(seed ^ ((long) path.hashCode() * 0x9E3779B97F4A7C15L)).nextLong();
            float[] values = p.init().sample(Math.toIntExact(p.shape().size()), new SplittableRandom(s));
            NDManager m = p.array().getManager();
            try (NDArray v = m.create(values, p.shape())) {
                p.set(v);
            }
        });
    }

    /** Sets training mode on this module and all descendants ({@code module.train(mode)}). */
    public Module train(boolean mode) {
        training = mode;
        children.values().forEach(c -> c.train(mode));
        return this;
    }

    /** {@code train(false)}. */
    public Module eval() {
        return train(false);
    }

    /** Whether this module is in training mode (dropout active). */
    public final boolean isTraining() {
        return training;
    }

    /**
     * Marks every parameter as not trainable and detaches its gradient ({@code requires_grad_(False)}).
     */
    public final Module freeze() {
        namedParameters().values().forEach(p -> p.setRequiresGrad(false));
        return this;
    }

    /** Marks every parameter as trainable again (gradients still need {@link #attachGradients()}). */
    public final Module unfreeze() {
        namedParameters().values().forEach(p -> p.setRequiresGrad(true));
        return this;
    }

    /**
     * Attaches gradient buffers to all trainable parameters, so operations inside a
     * {@code GradientCollector} record a graph towards them. Frozen parameters stay detached.
     */
    public final Module attachGradients() {
        for (Parameter p : namedParameters().values()) {
            if (p.requiresGrad() && !p.array().hasGradient()) {
                p.array().setRequiresGradient(true);
            }
        }
        return this;
    }

    /** Zeroes accumulated gradients in place ({@code optimizer.zero_grad(set_to_none=False)}). */
    public final void zeroGrad() {
        for (Parameter p : namedParameters().values()) {
            if (p.array().hasGradient()) {
                JniUtils.zeroGrad((PtNDArray) p.array());
            }
        }
    }

    /**
     * Requests gradient checkpointing for this module tree. NOT YET EFFECTIVE: DJL 0.36 exposes
     * no custom autograd function, so activations cannot be recomputed in backward; see
     * {@link #checkpoint}.
     */
    public Module setGradientCheckpointing(boolean enabled) {
        gradientCheckpointing = enabled;
        children.values().forEach(c -> c.setGradientCheckpointing(enabled));
        return this;
    }

    /** Whether gradient checkpointing was requested (currently a no-op, see package docs). */
    public final boolean isGradientCheckpointing() {
        return gradientCheckpointing;
    }

    /**
     * The hook where {@code torch.utils.checkpoint.checkpoint(fn, x)} would go. Today it simply
     * calls {@code fn}: results are identical, memory is not saved.
     */
    protected final <T, R> R checkpoint(java.util.function.Function<T, R> fn, T input) {
        return fn.apply(input);
    }
}
