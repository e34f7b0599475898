package dev.alignloop.eval;

import dev.alignloop.shapes.judge.JudgeConfig;
import dev.alignloop.shapes.judge.JudgeResult;
import dev.alignloop.shapes.judge.SceneJudge;
import dev.alignloop.shapes.prompt.PromptGrammar;
import dev.alignloop.shapes.prompt.PromptParseException;
import java.awt.image.BufferedImage;
import java.util.Objects;
import java.util.Optional;

/**
 * The shapes world's programmatic judge ({@link SceneJudge}: colour segmentation, shape
 * classification, positions) as a {@link PromptJudge}. It judges prompts of the shapes grammar
 * only; anything else is reported by {@link #validatePrompt} before sampling starts.
 */
public final class ShapesJudge implements PromptJudge {
    private final SceneJudge judge;

    /** @param judge the scene judge to use */
    public ShapesJudge(SceneJudge judge) {
        this.judge = Objects.requireNonNull(judge, "judge");
    }

    /** @return a judge with {@link JudgeConfig#defaults()} */
    public static ShapesJudge defaults() {
        return new ShapesJudge(new SceneJudge(JudgeConfig.defaults()));
    }

    @Override
    public JudgeResult judge(BufferedImage image, String prompt) {
        return judge.judge(image, prompt);
    }

    @Override
    public Optional<String> validatePrompt(String prompt) {
        try {
            PromptGrammar.parse(prompt);
            return Optional.empty();
        } catch (PromptParseException e) {
            return Optional.of("the shapes judge cannot read it: " + e.getMessage());
        }
    }

    @Override
    public String name() {
        return "shapes-judge";
    }
}
