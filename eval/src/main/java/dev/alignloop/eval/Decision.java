package dev.alignloop.eval;

/** The eval gate's verdict on a checkpoint (the values of the {@code EvalDecision} Avro enum). */
public enum Decision {
    /** The checkpoint may replace the baseline as the policy. */
    PROMOTED,
    /** The checkpoint must not be served. */
    REJECTED
}
