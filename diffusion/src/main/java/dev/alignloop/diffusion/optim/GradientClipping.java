package dev.alignloop.diffusion.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import java.util.Collection;

/** {@code torch.nn.utils.clip_grad_norm_} over a set of gradients, in place. */
public final class GradientClipping {
    private GradientClipping() {
    }

    /**
     * Scales every gradient by {@code min(1, maxNorm / (total_norm + 1e-6))}, where total_norm is
     * the {@code normType}-norm of all gradients together (2 or {@code Double.POSITIVE_INFINITY}).
     * As in PyTorch, the gradients are multiplied even when the coefficient clamps to 1.
     *
     * @return the total norm before clipping (may be inf or NaN; no error, as with
     *     {@code error_if_nonfinite=False})
     */
    public static double clipGradNorm(Collection<NDArray> grads, double maxNorm, double normType) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("max_norm must be > 0, got " + maxNorm);
        }
        boolean inf = Double.isInfinite(normType) && normType > 0;
        if (!inf && normType != 2.0) {
            throw new IllegalArgumentException("norm_type must be 2 or inf, got " + normType);
        }
        if (grads.isEmpty()) {
            return 0.0;
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDList norms = new NDList();
            for (NDArray g : grads) {
                norms.add(inf ? g.abs().max().reshape(1) : g.norm().reshape(1));
            }
            NDArray all = NDArrays.concat(norms);
            // total_norm = vector_norm(stack([vector_norm(g) for g in grads]))
            NDArray total = inf ? all.max() : all.norm();
            // clip_coef = max_norm / (total_norm + 1e-6); clip_coef_clamped = clamp(clip_coef, max=1.0)
            NDArray coef = total.add(1e-6f).pow(-1).muli((float) maxNorm).minimum(1f);
            for (NDArray g : grads) {
                g.muli(coef);
            }
            return total.getFloat();
        }
    }

    /** L2 clipping ({@code norm_type=2}). */
    public static double clipGradNorm(Collection<NDArray> grads, double maxNorm) {
        return clipGradNorm(grads, maxNorm, 2.0);
    }

    /**
     * {@code clip_grad_norm_(module.parameters(), maxNorm)}: clips the gradients of every trainable
     * parameter of {@code module} that has one, in place.
     *
     * @return the total L2 norm before clipping (infinite or NaN when a gradient is)
     */
    public static double clipGradNorm(dev.alignloop.diffusion.nn.Module module, double maxNorm) {
        java.util.List<NDArray> grads = new java.util.ArrayList<>();
        try {
            for (dev.alignloop.diffusion.nn.Parameter p : module.namedParameters().values()) {
                NDArray g = p.requiresGrad() ? p.gradient() : null;
                if (g != null) {
                    grads.add(g);
                }
            }
            return clipGradNorm(grads, maxNorm);
        } finally {
            grads.forEach(NDArray::close); // handles on the gradients, not the gradients themselves
        }
    }
}
