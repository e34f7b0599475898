package dev.alignloop.eval;

import dev.alignloop.shapes.judge.JudgeResult;
import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * One image pair of an evaluation: the baseline's and the policy's image for the same prompt and
 * seed, with their scores.
 *
 * @param promptIndex index of the prompt in the evaluated prompt list
 * @param prompt the prompt
 * @param seed the seed both images were generated with
 * @param baseline the baseline's image
 * @param policy the policy's image
 * @param rewardBaseline reward of the baseline's image
 * @param rewardPolicy reward of the policy's image
 * @param judgeBaseline the judge's verdict on the baseline's image, or null without a judge
 * @param judgePolicy the judge's verdict on the policy's image, or null without a judge
 */
public record EvalSample(int promptIndex, String prompt, long seed, BufferedImage baseline, BufferedImage policy,
        double rewardBaseline, double rewardPolicy, JudgeResult judgeBaseline, JudgeResult judgePolicy) {

    /** Checks the required parts are given and both or neither verdict is. */
    public EvalSample {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(policy, "policy");
        if ((judgeBaseline == null) != (judgePolicy == null)) {
            throw new IllegalArgumentException("both images or neither must be judged");
        }
    }

    /** @return whether the images were judged */
    public boolean judged() {
        return judgePolicy != null;
    }
}
