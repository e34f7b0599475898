package dev.alignloop.eval;

import dev.alignloop.shapes.judge.AttributeAccuracy;
import dev.alignloop.shapes.judge.WinRate;
import java.util.Objects;

/**
 * What the independent judge says about policy vs baseline over all image pairs.
 *
 * @param winRate paired judge win-rate of the policy (per image pair, judge scores compared, ties half)
 * @param policy per-attribute accuracy of the policy's images
 * @param baseline per-attribute accuracy of the baseline's images
 */
public record JudgeSummary(WinRate winRate, AttributeAccuracy policy, AttributeAccuracy baseline) {

    /** Checks the parts are given. */
    public JudgeSummary {
        Objects.requireNonNull(winRate, "winRate");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(baseline, "baseline");
    }

    /**
     * The judge accuracy the reward-hacking guard watches: the mean per-image judge score (the
     * fraction of a prompt's attribute checks an image passes, averaged over images). Finer than
     * the all-correct rate, so an attribute getting worse shows even when images were already
     * imperfect.
     *
     * @return the policy's mean judge score in [0, 1]
     */
    public double policyAccuracy() {
        return policy.meanScore();
    }

    /** @return the baseline's mean judge score in [0, 1] (see {@link #policyAccuracy()}) */
    public double baselineAccuracy() {
        return baseline.meanScore();
    }
}
