package dev.alignloop.shapes.rewardmodel;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of a reward-model training run ({@code alignloop pretrain reward}).
 *
 * @param steps        optimizer steps, 1..1,000,000
 * @param batchSize    images per step (each with its true caption and hard negatives), 2..4096
 * @param negatives    hard negative captions per image, 0..8
 * @param learningRate peak AdamW learning rate, in (0, 1)
 * @param warmupSteps  linear warm-up before the cosine decay, 0..steps
 * @param weightDecay  AdamW decoupled weight decay, &gt;= 0
 * @param scenes       which scenes to train on
 * @param seed         seeds the weights and the data stream
 * @param threads      PyTorch intra-op threads, 1..256
 * @param outputDir    the artifact folder written (replaced atomically), e.g. {@code models/shapes-reward}
 * @param evalImages   held-out (and train) images for the accuracy report, 0..100,000
 * @param logEvery     progress every this many steps, &gt;= 1
 */
public record RewardOptions(int steps, int batchSize, int negatives, double learningRate, int warmupSteps,
                            double weightDecay, SceneSet scenes, long seed, int threads, Path outputDir,
                            int evalImages, int logEvery) {

    /**
     * Which canonical scenes the reward model is trained on.
     *
     * <p>The shipped model uses {@link #ALL}: the eval gate scores held-out prompts with it, and
     * every held-out prompt contains a colour-shape binding (or leader) that TRAIN never shows, which a
     * reward trained on TRAIN alone ranks near chance. The train/held-out split exists to test the
     * <em>policy</em>: DPO only ever generates TRAIN prompts, so the reward knowing held-out bindings
     * does not show the policy any held-out prompt.
     */
    public enum SceneSet {
        /** Only TRAIN prompts: held-out accuracy then measures compositional generalization. */
        TRAIN,
        /** TRAIN and HELD_OUT prompts (half of each batch from each part). */
        ALL
    }

    /** Validates every field, naming it. */
    public RewardOptions {
        range("steps", steps, 1, 1_000_000);
        range("batchSize", batchSize, 2, 4096);
        range("negatives", negatives, 0, 8);
        if (!(learningRate > 0 && learningRate < 1)) {
            throw new IllegalArgumentException("learningRate must be in (0, 1), got " + learningRate);
        }
        range("warmupSteps", warmupSteps, 0, steps);
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
        }
        Objects.requireNonNull(scenes, "scenes");
        range("threads", threads, 1, 256);
        Objects.requireNonNull(outputDir, "outputDir");
        range("evalImages", evalImages, 0, 100_000);
        range("logEvery", logEvery, 1, Integer.MAX_VALUE);
    }

    private static void range(String name, long v, long lo, long hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(name + " must be in " + lo + ".." + hi + ", got " + v);
        }
    }

    /** The shipped reward model's settings (see models/shapes-reward/README.md). */
    public static RewardOptions defaults(Path outputDir) {
        return new RewardOptions(3000, 64, 4, 3e-3, 100, 0.01, SceneSet.ALL, 0L, 2, outputDir, 1000, 100);
    }

    /** A copy with another step count (warm-up capped at it). */
    public RewardOptions withSteps(int n) {
        return new RewardOptions(n, batchSize, negatives, learningRate, Math.min(warmupSteps, n), weightDecay, scenes,
                seed, threads, outputDir, evalImages, logEvery);
    }

    /** A copy with another batch size and negatives per image. */
    public RewardOptions withBatch(int images, int negativesPerImage) {
        return new RewardOptions(steps, images, negativesPerImage, learningRate, warmupSteps, weightDecay, scenes, seed,
                threads, outputDir, evalImages, logEvery);
    }

    /** A copy with another learning rate. */
    public RewardOptions withLearningRate(double lr) {
        return new RewardOptions(steps, batchSize, negatives, lr, warmupSteps, weightDecay, scenes, seed, threads,
                outputDir, evalImages, logEvery);
    }

    /** A copy with another scene set. */
    public RewardOptions withScenes(SceneSet s) {
        return new RewardOptions(steps, batchSize, negatives, learningRate, warmupSteps, weightDecay, s, seed, threads,
                outputDir, evalImages, logEvery);
    }

    /** A copy with another seed. */
    public RewardOptions withSeed(long s) {
        return new RewardOptions(steps, batchSize, negatives, learningRate, warmupSteps, weightDecay, scenes, s, threads,
                outputDir, evalImages, logEvery);
    }

    /** A copy with another thread count. */
    public RewardOptions withThreads(int n) {
        return new RewardOptions(steps, batchSize, negatives, learningRate, warmupSteps, weightDecay, scenes, seed, n,
                outputDir, evalImages, logEvery);
    }

    /** A copy with other evaluation size and logging interval. */
    public RewardOptions withReporting(int images, int log) {
        return new RewardOptions(steps, batchSize, negatives, learningRate, warmupSteps, weightDecay, scenes, seed,
                threads, outputDir, images, log);
    }
}
