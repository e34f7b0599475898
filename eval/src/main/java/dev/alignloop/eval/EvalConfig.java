package dev.alignloop.eval;

import java.util.Objects;

/**
 * What an evaluation runs: which prompts, how many images per prompt with which seeds, how the
 * samplers sample, and the promotion rule. Validated on construction; build with {@link
 * #builder()} (every setting has a documented default).
 *
 * <p>Seeds are fixed by construction: image {@code k} of prompt {@code i} uses seed {@code
 * imageSeed + i * seedsPerPrompt + k}, in the policy and in the baseline, in every evaluation. So
 * the two images of a pair start from the same noise, and two checkpoints evaluated days apart
 * are compared on identical inputs.
 *
 * @param prompts where the prompts come from; default {@link #DEFAULT_PROMPT_COUNT} held-out
 *     prompts with seed {@link #DEFAULT_PROMPT_SEED}
 * @param seedsPerPrompt images per prompt and sampler, 1..16; default 1
 * @param imageSeed the first image seed; default {@link #DEFAULT_IMAGE_SEED}
 * @param sampler steps, guidance, negative prompt; default {@link SamplerSettings#defaults()}
 * @param batchSize images per sampler call, 1..1024; default 16 (bounds the memory of one call)
 * @param rewardTieTolerance rewards closer than this are a tie, {@code >= 0}; default 1e-6, so
 *     float noise between identical images never counts as a win
 * @param judge whether to use the gate's judge (if it has one); default true
 * @param rule the promotion rule; default {@link GateRule#defaults()}
 * @param gridColumns how many (prompt, seed) columns a sample grid shows, 1..256; default 8
 */
public record EvalConfig(PromptSource prompts, int seedsPerPrompt, long imageSeed, SamplerSettings sampler,
        int batchSize, double rewardTieTolerance, boolean judge, GateRule rule, int gridColumns) {
    /** Default number of held-out prompts. */
    public static final int DEFAULT_PROMPT_COUNT = 64;
    /** Default seed of the held-out prompt sample. */
    public static final long DEFAULT_PROMPT_SEED = 2024;
    /** Default first image seed. */
    public static final long DEFAULT_IMAGE_SEED = 1000;
    /** Default images per sampler call. */
    public static final int DEFAULT_BATCH_SIZE = 16;
    /** Default reward tie tolerance. */
    public static final double DEFAULT_REWARD_TIE_TOLERANCE = 1e-6;
    /** Default sample grid columns. */
    public static final int DEFAULT_GRID_COLUMNS = 8;

    /** Validates every field, naming it. */
    public EvalConfig {
        Objects.requireNonNull(prompts, "prompts");
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(rule, "rule");
        if (seedsPerPrompt < 1 || seedsPerPrompt > 16) {
            throw new IllegalArgumentException("seedsPerPrompt must be in 1..16, got " + seedsPerPrompt);
        }
        if (batchSize < 1 || batchSize > 1024) {
            throw new IllegalArgumentException("batchSize must be in 1..1024, got " + batchSize);
        }
        if (!(rewardTieTolerance >= 0) || Double.isInfinite(rewardTieTolerance)) {
            throw new IllegalArgumentException("rewardTieTolerance must be a finite number >= 0, got "
                    + rewardTieTolerance);
        }
        if (gridColumns < 1 || gridColumns > 256) {
            throw new IllegalArgumentException("gridColumns must be in 1..256, got " + gridColumns);
        }
    }

    /** @return the defaults */
    public static EvalConfig defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this configuration */
    public Builder toBuilder() {
        return new Builder().optPrompts(prompts).optSeedsPerPrompt(seedsPerPrompt).optImageSeed(imageSeed)
                .optSampler(sampler).optBatchSize(batchSize).optRewardTieTolerance(rewardTieTolerance)
                .optJudge(judge).optRule(rule).optGridColumns(gridColumns);
    }

    /**
     * @param promptIndex index of the prompt in {@link PromptSource#resolve()}
     * @param k image of that prompt, {@code 0 <= k < seedsPerPrompt}
     * @return the seed both samplers use for that image
     */
    public long seedFor(int promptIndex, int k) {
        return imageSeed + (long) promptIndex * seedsPerPrompt + k;
    }

    /** Builder for {@link EvalConfig}; every {@code opt} has the default documented on the record. */
    public static final class Builder {
        private PromptSource prompts = PromptSource.heldOut(DEFAULT_PROMPT_COUNT, DEFAULT_PROMPT_SEED);
        private int seedsPerPrompt = 1;
        private long imageSeed = DEFAULT_IMAGE_SEED;
        private SamplerSettings sampler = SamplerSettings.defaults();
        private int batchSize = DEFAULT_BATCH_SIZE;
        private double rewardTieTolerance = DEFAULT_REWARD_TIE_TOLERANCE;
        private boolean judge = true;
        private GateRule rule = GateRule.defaults();
        private int gridColumns = DEFAULT_GRID_COLUMNS;

        private Builder() {
        }

        /**
         * @param v the prompt source
         * @return this
         */
        public Builder optPrompts(PromptSource v) {
            this.prompts = v;
            return this;
        }

        /**
         * @param v images per prompt and sampler
         * @return this
         */
        public Builder optSeedsPerPrompt(int v) {
            this.seedsPerPrompt = v;
            return this;
        }

        /**
         * @param v the first image seed
         * @return this
         */
        public Builder optImageSeed(long v) {
            this.imageSeed = v;
            return this;
        }

        /**
         * @param v the sampler settings
         * @return this
         */
        public Builder optSampler(SamplerSettings v) {
            this.sampler = v;
            return this;
        }

        /**
         * @param v images per sampler call
         * @return this
         */
        public Builder optBatchSize(int v) {
            this.batchSize = v;
            return this;
        }

        /**
         * @param v the reward tie tolerance
         * @return this
         */
        public Builder optRewardTieTolerance(double v) {
            this.rewardTieTolerance = v;
            return this;
        }

        /**
         * @param v whether to use the judge
         * @return this
         */
        public Builder optJudge(boolean v) {
            this.judge = v;
            return this;
        }

        /**
         * @param v the promotion rule
         * @return this
         */
        public Builder optRule(GateRule v) {
            this.rule = v;
            return this;
        }

        /**
         * @param v sample grid columns
         * @return this
         */
        public Builder optGridColumns(int v) {
            this.gridColumns = v;
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalArgumentException naming the first invalid field
         */
        public EvalConfig build() {
            return new EvalConfig(prompts, seedsPerPrompt, imageSeed, sampler, batchSize, rewardTieTolerance, judge,
                    rule, gridColumns);
        }
    }
}
