package dev.alignloop.reward;

import java.util.Arrays;

/**
 * Scoring failed: the model produced NaN or infinite scores, a prompt could not be tokenized, an
 * image could not be preprocessed, or ONNX Runtime rejected the run. The scorer service routes the
 * affected pairs to the dead-letter topic with this message; {@link #failedIndices()} tells which
 * items of the request were at fault, so the others can be scored again without them.
 */
public class RewardScoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final RewardModelId model;
    private final int[] failedIndices;

    /** A failure of the whole batch (no single item known to be at fault). */
    public RewardScoreException(RewardModelId model, String message, Throwable cause) {
        this(model, message, cause, new int[0]);
    }

    /** A failure caused by the items at {@code failedIndices} (indices into the scored lists). */
    public RewardScoreException(RewardModelId model, String message, Throwable cause, int[] failedIndices) {
        super(model.name() + " (sha256 " + model.shortSha() + "): " + message, cause);
        this.model = model;
        this.failedIndices = failedIndices.clone();
    }

    /** The model that failed. */
    public RewardModelId model() {
        return model;
    }

    /** Indices (into the request's lists) of the items at fault; empty when the whole batch failed. */
    public int[] failedIndices() {
        return failedIndices.clone();
    }

    @Override
    public String toString() {
        return super.toString() + (failedIndices.length > 0 ? " [items " + Arrays.toString(failedIndices) + "]" : "");
    }
}
