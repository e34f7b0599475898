package dev.alignloop.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A learnable tensor of a {@link Module} (PyTorch {@code nn.Parameter}): a fixed shape, the
 * current value, an {@link Init} for random initialisation and a {@code requiresGrad} flag.
 *
 * <p>The value is owned by the module's NDManager. {@link #set(NDArray)} replaces it (the old
 * array is closed), so callers must not hold on to {@link #array()} across a load.
 */
public final class Parameter {
    private final Shape shape;
    private final Init init;
    private NDArray array;
    private boolean requiresGrad = true;

    Parameter(NDArray array, Init init) {
        this.array = array;
        this.shape = array.getShape();
        this.init = init;
    }

    /** The current value (float32, owned by the module's manager). */
    public NDArray array() {
        return array;
    }

    /** The declared shape; loads must match it. */
    public Shape shape() {
        return shape;
    }

    /** How {@link Module#initialize(long)} fills it. */
    public Init init() {
        return init;
    }

    /** Whether the optimiser should update it (false after {@link Module#freeze()}). */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    void setRequiresGrad(boolean requiresGrad) {
        this.requiresGrad = requiresGrad;
        if (!requiresGrad && array.hasGradient()) {
            array.setRequiresGradient(false);
        }
    }

    /**
     * Replaces the value with a float32 copy of {@code value} in this parameter's manager; the
     * gradient attachment is kept. {@code value} stays owned by the caller.
     */
    public void set(NDArray value) {
        if (!value.getShape().equals(shape)) {
            throw new IllegalArgumentException("shape mismatch: expected " + shape + " but got " + value.getShape());
        }
        boolean hadGrad = array.hasGradient();
        NDArray copy = value.getDataType() == DataType.FLOAT32 ? value.duplicate() : value.toType(DataType.FLOAT32, true);
        copy.attach(array.getManager());
        if (copy.hasGradient()) {
            NDArray detached = copy.stopGradient();
            detached.attach(array.getManager());
            copy.close();
            copy = detached;
        }
        array.close();
        array = copy;
        if (hadGrad) {
            array.setRequiresGradient(true);
        }
    }

    /**
     * The accumulated gradient (zeros before the first backward), or null if no gradient is
     * attached. Each call returns a new handle that the caller closes; closing it does not drop
     * the gradient itself.
     */
    public NDArray gradient() {
        return array.hasGradient() ? array.getGradient() : null;
    }

    @Override
    public String toString() {
        return "Parameter" + shape + (requiresGrad ? "" : " (frozen)");
    }
}
