package dev.alignloop.reward;

/**
 * ONNX Runtime settings of one {@link OnnxRewardScorer}.
 *
 * @param intraOpThreads threads inside one operator; 0 lets ORT choose (one per core)
 * @param interOpThreads threads across independent operators; 0 lets ORT choose
 * @param maxBatchSize   images per {@code OrtSession.run}; larger requests are split
 */
public record ScorerOptions(int intraOpThreads, int interOpThreads, int maxBatchSize) {

    /** Validates the values, naming the field. */
    public ScorerOptions {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0 (0 = ORT default), got " + intraOpThreads);
        }
        if (interOpThreads < 0) {
            throw new IllegalArgumentException("interOpThreads must be >= 0 (0 = ORT default), got " + interOpThreads);
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be >= 1, got " + maxBatchSize);
        }
    }

    /** ORT's thread defaults, batches of up to 32 images. */
    public static ScorerOptions defaults() {
        return new ScorerOptions(0, 0, 32);
    }

    /** A copy with {@code n} intra-op threads. */
    public ScorerOptions withIntraOpThreads(int n) {
        return new ScorerOptions(n, interOpThreads, maxBatchSize);
    }

    /** A copy with {@code n} inter-op threads. */
    public ScorerOptions withInterOpThreads(int n) {
        return new ScorerOptions(intraOpThreads, n, maxBatchSize);
    }

    /** A copy with another batch limit. */
    public ScorerOptions withMaxBatchSize(int n) {
        return new ScorerOptions(intraOpThreads, interOpThreads, n);
    }
}
