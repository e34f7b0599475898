package dev.alignloop.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Stateless ops ({@code torch.nn.functional}) built on DJL's PyTorch engine.
 *
 * <p>Every result lands in the manager of the first (activation) argument, never in a
 * parameter's manager, and intermediates are closed eagerly. Closing a DJL PyTorch handle only
 * drops a reference: tensors the autograd graph saved stay alive, so this is safe under a
 * {@code GradientCollector}.
 *
 * <p>Never pass a Java number to an op whose backward reads it ({@code x.mul(0.5f)}, {@code div},
 * {@code pow}, {@code maximum}, ...) on a path that needs gradients: DJL wraps the number in a
 * zero-copy array over a Java direct buffer and closes it right after the op, the buffer is freed
 * at the next GC, and the saved scalar that backward later reads is garbage (often NaN). Use
 * {@link #mulScalar} / {@link #scalar}, which hand autograd a tensor PyTorch owns.
 */
public final class F {
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    private F() {
    }

    /** A 0-d float tensor owned by PyTorch (not by a Java buffer), in {@code like}'s manager. */
    public static NDArray scalar(NDArray like, float value) {
        return like.getManager().full(new Shape(), value, like.getDataType());
    }

    /** {@code x * value}, safe under autograd (see the class notes). */
    public static NDArray mulScalar(NDArray x, float value) {
        try (NDArray s = scalar(x, value)) {
            return x.mul(s);
        }
    }

    /** {@code F.linear(x, weight, bias)}: x [..., in], weight [out, in], bias [out] or null → [..., out]. */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    /**
     * {@code F.conv2d(x, weight, bias, stride, padding)}: x [B, Cin, H, W], weight [Cout, Cin, k, k].
     */
    public static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding) {
        return x.getNDArrayInternal().convolution(x, weight, bias, new Shape(stride, stride),
                new Shape(padding, padding), new Shape(1, 1), 1).singletonOrThrow();
    }

    /**
     * {@code F.group_norm(x, G, weight, bias, eps)} for x [B, C, *]: statistics per (sample,
     * group) with biased variance, then a per-channel affine (skipped when weight is null).
     *
     * <p>DJL exposes no group_norm; it is the engine's fused layer_norm over [B, G, C/G * rest]
     * (same math), followed by the channel affine.
     */
    public static NDArray groupNorm(NDArray x, int numGroups, NDArray weight, NDArray bias, float eps) {
        return groupNorm(x, numGroups, weight, bias, eps, null);
    }

    /**
     * {@link #groupNorm(NDArray, int, NDArray, NDArray, float)} with the unit scale/zero shift of
     * the inner layer_norm supplied by {@code unitAffine} (d → {ones(d), zeros(d)}, kept by the
     * caller) instead of allocated per call; null allocates.
     */
    static NDArray groupNorm(NDArray x, int numGroups, NDArray weight, NDArray bias, float eps,
                             java.util.function.LongFunction<NDArray[]> unitAffine) {
        Shape shape = x.getShape();
        long b = shape.get(0);
        long c = shape.get(1);
        if (c % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm: " + c + " channels not divisible by " + numGroups + " groups");
        }
        NDArray grouped = x.reshape(b, numGroups, -1);
        long d = grouped.getShape().get(2);
        NDArray normalized;
        if (unitAffine != null) {
            NDArray[] oz = unitAffine.apply(d);
            normalized = ai.djl.nn.norm.LayerNorm.layerNorm(grouped, new Shape(d), oz[0], oz[1], eps).singletonOrThrow();
        } else {
            NDManager m = x.getManager();
            try (NDArray ones = m.ones(new Shape(d)); NDArray zeros = m.zeros(new Shape(d))) {
                normalized = ai.djl.nn.norm.LayerNorm.layerNorm(grouped, new Shape(d), ones, zeros, eps).singletonOrThrow();
            }
        }
        grouped.close();
        NDArray y = normalized.reshape(shape);
        normalized.close();
        if (weight == null) {
            return y;
        }
        long[] bshape = new long[shape.dimension()];
        java.util.Arrays.fill(bshape, 1);
        bshape[1] = c;
        // y * weight[None, :, None, None] + bias[None, :, None, None]
        NDArray w = weight.reshape(bshape);
        NDArray scaled = y.mul(w);
        w.close();
        y.close();
        if (bias == null) {
            return scaled;
        }
        NDArray bb = bias.reshape(bshape);
        NDArray out = scaled.add(bb);
        bb.close();
        scaled.close();
        return out;
    }

    /** {@code F.layer_norm(x, [D], weight, bias, eps)} over the last axis; weight/bias may be null. */
    public static NDArray layerNorm(NDArray x, NDArray weight, NDArray bias, float eps) {
        long d = x.getShape().get(x.getShape().dimension() - 1);
        Shape ns = new Shape(d);
        if (weight != null && bias != null) {
            return ai.djl.nn.norm.LayerNorm.layerNorm(x, ns, weight, bias, eps).singletonOrThrow();
        }
        NDManager m = x.getManager();
        try (NDArray ones = weight == null ? m.ones(ns) : null; NDArray zeros = bias == null ? m.zeros(ns) : null) {
            return ai.djl.nn.norm.LayerNorm.layerNorm(x, ns, weight == null ? ones : weight,
                    bias == null ? zeros : bias, eps).singletonOrThrow();
        }
    }

    /** {@code F.silu(x) = x * sigmoid(x)}. */
    public static NDArray silu(NDArray x) {
        try (NDArray s = x.getNDArrayInternal().sigmoid()) {
            return x.mul(s);
        }
    }

    /** {@code F.gelu(x)} (exact, erf-based). */
    public static NDArray gelu(NDArray x) {
        return x.getNDArrayInternal().gelu();
    }

    /** {@code F.gelu(x, approximate="tanh")}: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    public static NDArray geluTanh(NDArray x) {
        try (NDArray three = scalar(x, 3f); NDArray x3 = x.pow(three); NDArray inner0 = mulScalar(x3, 0.044715f);
             NDArray inner1 = inner0.add(x); NDArray inner = mulScalar(inner1, (float) SQRT_2_OVER_PI);
             NDArray t = inner.tanh(); NDArray t1 = t.add(1f); NDArray half = mulScalar(x, 0.5f)) {
            return half.mul(t1);
        }
    }

    /** CLIP's {@code quick_gelu}: x * sigmoid(1.702 x). */
    public static NDArray quickGelu(NDArray x) {
        try (NDArray a = mulScalar(x, 1.702f); NDArray s = a.getNDArrayInternal().sigmoid()) {
            return x.mul(s);
        }
    }

    /**
     * {@code F.dropout(x, p, training)}: identity when not training or p == 0 (returns a new
     * handle to the same tensor so callers may close it independently).
     */
    public static NDArray dropout(NDArray x, float p, boolean training) {
        if (!training || p == 0f) {
            return x.reshape(x.getShape());
        }
        return x.getNDArrayInternal().dropout(x, p, true).singletonOrThrow();
    }

    /**
     * {@code F.interpolate(x, scale_factor=2, mode="nearest")} for x [B, C, H, W] → [B, C, 2H, 2W].
     */
    public static NDArray upsampleNearest2x(NDArray x) {
        Shape s = x.getShape();
        return x.getNDArrayInternal().interpolation(new long[] {s.get(2) * 2, s.get(3) * 2}, 0, false);
    }

    /**
     * {@code F.scaled_dot_product_attention(q, k, v, attn_mask)} (no dropout, not causal):
     * softmax(q k^T / sqrt(d) + mask) v.
     *
     * <p>DJL 0.36 exposes no fused SDPA, so this is the math path (three kernels; the [.., L, S]
     * score matrix is materialised). Results equal PyTorch's fused kernels up to float32
     * rounding.
     *
     * @param q [..., L, d]
     * @param k [..., S, d]
     * @param v [..., S, dv]
     * @param mask null, a float mask added to the scores, or a boolean mask (true = attend),
     *     broadcastable to [..., L, S]
     * @return [..., L, dv]
     */
    public static NDArray scaledDotProductAttention(NDArray q, NDArray k, NDArray v, NDArray mask) {
        long d = q.getShape().get(q.getShape().dimension() - 1);
        float scale = (float) (1.0 / Math.sqrt(d));
        int n = k.getShape().dimension();
        NDArray scores;
        try (NDArray qs = mulScalar(q, scale); NDArray kt = k.swapAxes(n - 2, n - 1)) {
            scores = qs.matMul(kt);
        }
        if (mask != null) {
            NDArray masked;
            if (mask.getDataType() == DataType.BOOLEAN) {
                // DJL's where does not broadcast: expand the mask and the fill value first.
                try (NDArray ninf = scores.getManager().full(scores.getShape(), Float.NEGATIVE_INFINITY);
                     NDArray m = mask.broadcast(scores.getShape())) {
                    masked = ai.djl.ndarray.NDArrays.where(m, scores, ninf);
                }
            } else {
                masked = scores.add(mask);
            }
            scores.close();
            scores = masked;
        }
        try (NDArray p = scores.softmax(-1)) {
            scores.close();
            return p.matMul(v);
        }
    }

    /** {@code torch.cat(list, dim)}. */
    public static NDArray cat(int axis, NDArray... arrays) {
        return ai.djl.ndarray.NDArrays.concat(new NDList(arrays), axis);
    }
}
