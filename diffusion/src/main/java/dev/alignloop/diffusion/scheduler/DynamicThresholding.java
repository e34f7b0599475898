package dev.alignloop.diffusion.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * {@code _threshold_sample}: Imagen's dynamic thresholding of the predicted x0 (arXiv:2205.11487).
 * Per batch element, {@code s = clamp(quantile(|x0|, ratio), 1, sample_max_value)}, then
 * {@code x0 = clamp(x0, -s, s) / s}.
 */
final class DynamicThresholding {
    private DynamicThresholding() {
    }

    /**
     * @param x0 (B, ...) float32 predicted original sample
     * @param ratio {@code dynamic_thresholding_ratio}
     * @param maxValue {@code sample_max_value}
     * @return the thresholded x0
     */
    static NDArray apply(NDArray x0, double ratio, double maxValue) {
        Shape shape = x0.getShape();
        int batch = (int) shape.get(0);
        float[] values = x0.toFloatArray();
        int row = values.length / batch;
        float[] s = new float[batch];
        for (int b = 0; b < batch; b++) {
            float[] abs = new float[row];
            for (int i = 0; i < row; i++) {
                abs[i] = Math.abs(values[b * row + i]);
            }
            Arrays.sort(abs);
            float q = quantile(abs, (float) ratio);
            // torch.clamp(s, min=1, max=sample_max_value): min first, then max
            s[b] = Math.min(Math.max(q, 1f), (float) maxValue);
        }
        long[] dims = new long[shape.dimension()];
        Arrays.fill(dims, 1);
        dims[0] = batch;
        try (NDArray sArr = x0.getManager().create(s, new Shape(dims));
                NDArray neg = sArr.neg();
                NDArray low = x0.maximum(neg);
                NDArray clamped = low.minimum(sArr)) {
            return clamped.div(sArr); // torch.clamp(sample, -s, s) / s
        }
    }

    /**
     * {@code torch.quantile(sorted, q)} with linear interpolation, in float32 as ATen does it: rank
     * {@code q * (n - 1)}, lower index by truncation, weight {@code rank - lower}, then {@code lerp}.
     */
    static float quantile(float[] sorted, float q) {
        int last = sorted.length - 1;
        float rank = q * last;
        int below = (int) rank;
        int above = (int) Math.ceil(rank);
        float w = rank - below;
        float lo = sorted[below];
        float hi = sorted[above];
        // at::lerp: weight < 0.5 ? self + weight * (end - self) : end - (end - self) * (1 - weight)
        return Math.abs(w) < 0.5f ? lo + w * (hi - lo) : hi - (hi - lo) * (1 - w);
    }
}
