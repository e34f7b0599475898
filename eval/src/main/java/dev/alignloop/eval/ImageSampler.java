package dev.alignloop.eval;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Anything that turns prompts and seeds into images: a diffusion policy ({@link DiffusionSampler}),
 * a renderer, a stored set of samples. The eval gate calls the policy and the baseline with the
 * same prompts and the same seeds, so a sampler must be deterministic in (prompt, seed) for the
 * comparison to be paired, and for a re-run to reproduce it.
 */
@FunctionalInterface
public interface ImageSampler {

    /**
     * Generates one image per prompt.
     *
     * @param prompts one prompt per image
     * @param seeds one seed per image, {@code seeds.length == prompts.size()}
     * @return the images, in prompt order
     */
    List<BufferedImage> sample(List<String> prompts, long[] seeds);

    /** @return a short name for reports (a checkpoint version, a folder name) */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * Why this sampler cannot take {@code prompt} (an unknown word, too many tokens), checked for
     * every prompt before any image is generated.
     *
     * @param prompt a prompt
     * @return the reason, or empty if the prompt is fine (the default)
     */
    default Optional<String> validatePrompt(String prompt) {
        return Optional.empty();
    }

    /**
     * @param name the name reports show
     * @param sampler the sampler to rename
     * @return {@code sampler} under another name
     */
    static ImageSampler named(String name, ImageSampler sampler) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sampler, "sampler");
        return new ImageSampler() {
            @Override
            public List<BufferedImage> sample(List<String> prompts, long[] seeds) {
                return sampler.sample(prompts, seeds);
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<String> validatePrompt(String prompt) {
                return sampler.validatePrompt(prompt);
            }
        };
    }
}
