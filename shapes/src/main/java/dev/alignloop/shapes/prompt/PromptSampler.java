package dev.alignloop.shapes.prompt;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Seeded sampling of canonical scenes from one part of the {@link PromptSplit}.
 *
 * <p>Uniform sampling over the enumeration would give almost only relation scenes (they are
 * ~98% of it), so the sampler first draws the prompt form and the background from {@link
 * Weights}, then a scene uniformly within that bucket. The same seed gives the same prompts.
 */
public final class PromptSampler {

    /**
     * Sampling weights.
     *
     * @param single          relative weight of "a red circle" prompts
     * @param count           relative weight of "two red circles" prompts
     * @param relation        relative weight of "a red circle above a blue square" prompts
     * @param blackBackground probability of a black background, 0..1
     */
    public record Weights(double single, double count, double relation, double blackBackground) {
        public Weights {
            if (single < 0 || count < 0 || relation < 0 || single + count + relation <= 0) {
                throw new IllegalArgumentException("kind weights must be >= 0 with a positive sum, got single="
                        + single + " count=" + count + " relation=" + relation);
            }
            if (!(blackBackground >= 0 && blackBackground <= 1)) {
                throw new IllegalArgumentException("blackBackground must be in [0,1], got " + blackBackground);
            }
        }

        /** 25% single, 25% count, 50% relation prompts; 25% black backgrounds. */
        public static Weights defaults() {
            return new Weights(0.25, 0.25, 0.5, 0.25);
        }
    }

    private final Weights weights;
    private final Map<SceneSpec.Kind, Map<Background, List<SceneSpec>>> buckets =
            new EnumMap<>(SceneSpec.Kind.class);

    /** A sampler over {@code part} with {@link Weights#defaults()}. */
    public PromptSampler(PromptSplit.Part part) {
        this(part, Weights.defaults());
    }

    /** A sampler over {@code part} with the given weights. */
    public PromptSampler(PromptSplit.Part part, Weights weights) {
        this.weights = weights;
        for (SceneSpec.Kind k : SceneSpec.Kind.values()) {
            Map<Background, List<SceneSpec>> byBg = new EnumMap<>(Background.class);
            for (Background b : Background.values()) {
                byBg.put(b, new ArrayList<>());
            }
            buckets.put(k, byBg);
        }
        for (SceneSpec s : PromptSplit.scenes(part)) {
            buckets.get(s.kind()).get(s.background()).add(s);
        }
    }

    /** Draws one scene; consumes exactly three values from {@code rng}. */
    public SceneSpec next(RandomGenerator rng) {
        double u = rng.nextDouble() * (weights.single() + weights.count() + weights.relation());
        SceneSpec.Kind kind = u < weights.single() ? SceneSpec.Kind.SINGLE
                : u < weights.single() + weights.count() ? SceneSpec.Kind.COUNT : SceneSpec.Kind.RELATION;
        Background bg = rng.nextDouble() < weights.blackBackground() ? Background.BLACK : Background.WHITE;
        List<SceneSpec> bucket = buckets.get(kind).get(bg);
        int index = rng.nextInt(bucket.size()); // always drawn, so the stream stays aligned
        return bucket.get(index);
    }

    /** {@code n} scenes from a {@link SplittableRandom} seeded with {@code seed}. */
    public List<SceneSpec> sample(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<SceneSpec> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(next(rng));
        }
        return out;
    }
}
