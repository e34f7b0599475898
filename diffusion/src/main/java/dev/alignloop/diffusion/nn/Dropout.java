package dev.alignloop.diffusion.nn;

import ai.djl.ndarray.NDArray;

/** {@code nn.Dropout(p)}: active only in training mode; returns a fresh handle either way. */
public final class Dropout extends Module {
    private final float p;

    /** Dropout with probability {@code p}. */
    public Dropout(float p) {
        if (p < 0 || p >= 1) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        this.p = p;
    }

    /** x → x (eval) or dropped-out x scaled by 1/(1-p) (training). */
    public NDArray forward(NDArray x) {
        return F.dropout(x, p, isTraining());
    }
}
