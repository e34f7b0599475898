package dev.alignloop.reward;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Scores image pairs: both images of a pair go through the model in the same batch, against their
 * shared prompt, and several pairs can share one batch. Thread-safe if the model is.
 */
public final class PairScorer {

    private final RewardModel model;
    private final double tieThreshold;

    /**
     * A scorer.
     *
     * @param tieThreshold pairs with {@code |scoreA - scoreB| < tieThreshold} are ties (0: only equal scores)
     */
    public PairScorer(RewardModel model, double tieThreshold) {
        this.model = Objects.requireNonNull(model, "model");
        if (!(tieThreshold >= 0) || !Double.isFinite(tieThreshold)) {
            throw new IllegalArgumentException("tieThreshold must be finite and >= 0, got " + tieThreshold);
        }
        this.tieThreshold = tieThreshold;
    }

    /** The model (its {@link RewardModel#id()} goes on the label). */
    public RewardModel model() {
        return model;
    }

    /** The tie threshold. */
    public double tieThreshold() {
        return tieThreshold;
    }

    /** Scores one pair in one batch of two. */
    public PairScore score(String prompt, BufferedImage imageA, BufferedImage imageB) {
        double[] s = model.score(prompt, List.of(imageA, imageB));
        return PairScore.of(s[0], s[1], tieThreshold);
    }

    /** Scores many pairs in one model call ({@code [a0, b0, a1, b1, ...]}); results in input order. */
    public List<PairScore> scoreAll(List<PairInput> pairs) {
        if (pairs.isEmpty()) {
            return List.of();
        }
        List<String> prompts = new ArrayList<>(2 * pairs.size());
        List<BufferedImage> images = new ArrayList<>(2 * pairs.size());
        for (PairInput p : pairs) {
            prompts.add(p.prompt());
            prompts.add(p.prompt());
            images.add(p.imageA());
            images.add(p.imageB());
        }
        double[] s = model.score(prompts, images);
        List<PairScore> out = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            out.add(PairScore.of(s[2 * i], s[2 * i + 1], tieThreshold));
        }
        return out;
    }

    /**
     * One pair to score.
     *
     * @param prompt the prompt both images were generated from
     * @param imageA first image
     * @param imageB second image
     */
    public record PairInput(String prompt, BufferedImage imageA, BufferedImage imageB) {
        /** Requires all fields. */
        public PairInput {
            Objects.requireNonNull(prompt, "prompt");
            Objects.requireNonNull(imageA, "imageA");
            Objects.requireNonNull(imageB, "imageB");
        }
    }
}
