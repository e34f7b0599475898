package dev.alignloop.shapes.pretrain;

import dev.alignloop.shapes.prompt.CaptionNoise;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of a base-model pretraining run ({@code alignloop pretrain base}).
 *
 * @param steps          optimizer steps, 1..1,000,000
 * @param batchSize      images per step, 1..1024
 * @param learningRate   peak AdamW learning rate, in (0, 1)
 * @param warmupSteps    linear warm-up steps before the cosine decay to 0, 0..steps
 * @param weightDecay    AdamW decoupled weight decay, &gt;= 0
 * @param gradClip       max global gradient norm, &gt; 0
 * @param captionDropout probability that a caption is replaced by "" (for classifier-free guidance), [0, 1)
 * @param captionNoise   caption corruption probabilities ({@link CaptionNoise.Config#defaults()})
 * @param seed           seeds the initial weights and the data stream (scenes, captions, noise, timesteps)
 * @param threads        PyTorch intra-op threads, 1..256
 * @param outputDir      where the final diffusers folder is written (replaced atomically), e.g.
 *                       {@code models/shapes-base}
 * @param checkpointDir  where periodic checkpoints go (and are resumed from)
 * @param logEvery       report progress every this many steps, &gt;= 1
 * @param saveEvery      write a checkpoint every this many steps; 0 for none
 * @param resume         continue from the newest verified checkpoint in {@code checkpointDir} if any
 */
public record PretrainOptions(int steps, int batchSize, double learningRate, int warmupSteps, double weightDecay,
                              double gradClip, double captionDropout, CaptionNoise.Config captionNoise, long seed,
                              int threads, Path outputDir, Path checkpointDir, int logEvery, int saveEvery,
                              boolean resume) {

    /** Default step count: about 20 minutes on 2 quiet cores at {@link #DEFAULT_BATCH} (see models/shapes-base/README.md). */
    public static final int DEFAULT_STEPS = 2500;
    /** Default batch size: for a fixed CPU budget, more steps of 16 beat fewer of 32 early in training. */
    public static final int DEFAULT_BATCH = 16;

    /** Validates every field, naming it. */
    public PretrainOptions {
        range("steps", steps, 1, 1_000_000);
        range("batchSize", batchSize, 1, 1024);
        if (!(learningRate > 0 && learningRate < 1)) {
            throw new IllegalArgumentException("learningRate must be in (0, 1), got " + learningRate);
        }
        range("warmupSteps", warmupSteps, 0, steps);
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
        }
        if (!(gradClip > 0) || !Double.isFinite(gradClip)) {
            throw new IllegalArgumentException("gradClip must be > 0, got " + gradClip);
        }
        if (!(captionDropout >= 0 && captionDropout < 1)) {
            throw new IllegalArgumentException("captionDropout must be in [0, 1), got " + captionDropout);
        }
        Objects.requireNonNull(captionNoise, "captionNoise");
        range("threads", threads, 1, 256);
        Objects.requireNonNull(outputDir, "outputDir");
        Objects.requireNonNull(checkpointDir, "checkpointDir");
        range("logEvery", logEvery, 1, Integer.MAX_VALUE);
        range("saveEvery", saveEvery, 0, Integer.MAX_VALUE);
    }

    private static void range(String name, long v, long lo, long hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(name + " must be in " + lo + ".." + hi + ", got " + v);
        }
    }

    /**
     * The shipped model's settings: {@value #DEFAULT_STEPS} steps of {@value #DEFAULT_BATCH}, lr 2e-3
     * with 100 warm-up steps and cosine decay to 0, no weight decay, clip 1.0, 10% caption dropout,
     * default caption noise, seed 0, 2 threads, progress every 50 steps, checkpoints every 500 steps
     * under {@code .alignloop/pretrain/base}.
     */
    public static PretrainOptions defaults(Path outputDir) {
        return new PretrainOptions(DEFAULT_STEPS, DEFAULT_BATCH, 2e-3, 100, 0.0, 1.0, 0.1,
                CaptionNoise.Config.defaults(), 0L, 2, outputDir, Path.of(".alignloop", "pretrain", "base"), 50, 500,
                true);
    }

    /** A copy with another step count (warm-up capped at it). */
    public PretrainOptions withSteps(int n) {
        return new PretrainOptions(n, batchSize, learningRate, Math.min(warmupSteps, n), weightDecay, gradClip,
                captionDropout, captionNoise, seed, threads, outputDir, checkpointDir, logEvery, saveEvery, resume);
    }

    /** A copy with another batch size. */
    public PretrainOptions withBatchSize(int n) {
        return new PretrainOptions(steps, n, learningRate, warmupSteps, weightDecay, gradClip, captionDropout,
                captionNoise, seed, threads, outputDir, checkpointDir, logEvery, saveEvery, resume);
    }

    /** A copy with another learning rate. */
    public PretrainOptions withLearningRate(double lr) {
        return new PretrainOptions(steps, batchSize, lr, warmupSteps, weightDecay, gradClip, captionDropout,
                captionNoise, seed, threads, outputDir, checkpointDir, logEvery, saveEvery, resume);
    }

    /** A copy with another warm-up. */
    public PretrainOptions withWarmupSteps(int n) {
        return new PretrainOptions(steps, batchSize, learningRate, n, weightDecay, gradClip, captionDropout,
                captionNoise, seed, threads, outputDir, checkpointDir, logEvery, saveEvery, resume);
    }

    /** A copy with another seed. */
    public PretrainOptions withSeed(long s) {
        return new PretrainOptions(steps, batchSize, learningRate, warmupSteps, weightDecay, gradClip, captionDropout,
                captionNoise, s, threads, outputDir, checkpointDir, logEvery, saveEvery, resume);
    }

    /** A copy with another thread count. */
    public PretrainOptions withThreads(int n) {
        return new PretrainOptions(steps, batchSize, learningRate, warmupSteps, weightDecay, gradClip, captionDropout,
                captionNoise, seed, n, outputDir, checkpointDir, logEvery, saveEvery, resume);
    }

    /** A copy with other output and checkpoint folders. */
    public PretrainOptions withDirs(Path output, Path checkpoints) {
        return new PretrainOptions(steps, batchSize, learningRate, warmupSteps, weightDecay, gradClip, captionDropout,
                captionNoise, seed, threads, output, checkpoints, logEvery, saveEvery, resume);
    }

    /** A copy with other logging and checkpoint intervals. */
    public PretrainOptions withIntervals(int log, int save) {
        return new PretrainOptions(steps, batchSize, learningRate, warmupSteps, weightDecay, gradClip, captionDropout,
                captionNoise, seed, threads, outputDir, checkpointDir, log, save, resume);
    }

    /** A copy that does or does not resume. */
    public PretrainOptions withResume(boolean on) {
        return new PretrainOptions(steps, batchSize, learningRate, warmupSteps, weightDecay, gradClip, captionDropout,
                captionNoise, seed, threads, outputDir, checkpointDir, logEvery, saveEvery, on);
    }

    /**
     * The settings that shape the trajectory: a checkpoint may only be resumed under the same ones
     * (threads, folders, intervals may change).
     */
    String trajectoryKey() {
        return "steps=" + steps + " batchSize=" + batchSize + " learningRate=" + learningRate + " warmupSteps="
                + warmupSteps + " weightDecay=" + weightDecay + " gradClip=" + gradClip + " captionDropout="
                + captionDropout + " captionNoise=" + captionNoise + " seed=" + seed;
    }
}
