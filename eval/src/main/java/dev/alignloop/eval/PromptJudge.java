package dev.alignloop.eval;

import dev.alignloop.shapes.judge.JudgeResult;
import java.awt.image.BufferedImage;
import java.util.Optional;

/**
 * An evaluator of prompt fidelity that is independent of the reward model: the eval gate's
 * check that a rising reward means a better model rather than a model that found the reward
 * model's blind spots. Results are per-attribute checks ({@link JudgeResult}), so the report can
 * say which attributes (colour, count, position...) got better or worse.
 *
 * <p>Implementations must be deterministic and thread-safe.
 */
public interface PromptJudge {

    /**
     * @param image a generated image
     * @param prompt the prompt it was generated for
     * @return the checks and their outcome
     */
    JudgeResult judge(BufferedImage image, String prompt);

    /**
     * Why this judge cannot judge {@code prompt} (e.g. it is outside the grammar the judge
     * understands); checked for every prompt before any image is generated.
     *
     * @param prompt a prompt
     * @return the reason, or empty if the prompt can be judged
     */
    default Optional<String> validatePrompt(String prompt) {
        return Optional.empty();
    }

    /** @return a short name for reports */
    default String name() {
        return getClass().getSimpleName();
    }
}
