package dev.alignloop.reward;

import java.awt.image.BufferedImage;
import java.util.Collections;
import java.util.List;

/**
 * A reward model: one score per (prompt, image). Implementations are thread-safe and hold native
 * resources until {@link #close()}.
 */
public interface RewardModel extends AutoCloseable {

    /** Name and hash recorded on every label this model produces. */
    RewardModelId id();

    /**
     * Scores {@code images.get(i)} against {@code prompts.get(i)}; higher is better.
     *
     * @throws IllegalArgumentException if the lists differ in length or are empty
     * @throws RewardScoreException     if a score is NaN or infinite, or inference fails
     */
    double[] score(List<String> prompts, List<BufferedImage> images);

    /** Scores several images against one prompt (e.g. the two images of a pair) in one batch. */
    default double[] score(String prompt, List<BufferedImage> images) {
        return score(Collections.nCopies(images.size(), prompt), images);
    }

    /** Releases native resources. */
    @Override
    void close();
}
