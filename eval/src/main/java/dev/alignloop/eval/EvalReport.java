package dev.alignloop.eval;

import dev.alignloop.reward.RewardModelId;
import dev.alignloop.shapes.judge.WinRate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one evaluation: every image pair with its scores, the reward and judge
 * statistics, and the decision with its reason. Maps one-to-one onto the {@code EvalResult}
 * Avro record ({@code winRate*} = the reward win-rate, {@code judgeScore*} = the mean judge
 * scores); {@link #toTable()} is what {@code alignloop eval} prints.
 *
 * <p>The images are kept (for {@link SampleGrid}); at 32×32 that is a few kB per pair.
 *
 * @param policyName the policy sampler's name
 * @param baselineName the baseline sampler's name
 * @param rewardModel the reward model's name and SHA-256
 * @param judgeName the judge's name, or null when no judge was used
 * @param config the configuration evaluated with
 * @param promptCount number of prompts
 * @param samples every image pair, prompt-major, seeds in order
 * @param rewardWinRate paired reward win-rate of the policy (ties half, Wilson 95% interval)
 * @param meanRewardPolicy mean reward of the policy's images
 * @param meanRewardBaseline mean reward of the baseline's images
 * @param judge the judge's summary, or null when no judge was used
 * @param decision PROMOTED or REJECTED
 * @param reason the rule that decided, with its numbers
 * @param finishedAt when the evaluation finished
 * @param elapsed how long it took, sampling included
 */
public record EvalReport(String policyName, String baselineName, RewardModelId rewardModel, String judgeName,
        EvalConfig config, int promptCount, List<EvalSample> samples, WinRate rewardWinRate, double meanRewardPolicy,
        double meanRewardBaseline, JudgeSummary judge, Decision decision, String reason, Instant finishedAt,
        Duration elapsed) {

    /** Checks the required parts and copies the sample list. */
    public EvalReport {
        Objects.requireNonNull(policyName, "policyName");
        Objects.requireNonNull(baselineName, "baselineName");
        Objects.requireNonNull(rewardModel, "rewardModel");
        Objects.requireNonNull(config, "config");
        samples = List.copyOf(samples);
        Objects.requireNonNull(rewardWinRate, "rewardWinRate");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(elapsed, "elapsed");
        if ((judge == null) != (judgeName == null)) {
            throw new IllegalArgumentException("judge and judgeName must both be set or both be null");
        }
    }

    /** @return number of image pairs compared ({@code promptCount * seedsPerPrompt}) */
    public int pairCount() {
        return samples.size();
    }

    /** @return whether the decision is PROMOTED */
    public boolean promoted() {
        return decision == Decision.PROMOTED;
    }

    /** @return the judge's summary, if a judge was used */
    public Optional<JudgeSummary> judgeSummary() {
        return Optional.ofNullable(judge);
    }

    /**
     * @return a readable multi-line summary: reward and judge statistics side by side, the
     *     per-attribute accuracies, the decision and its reason
     */
    public String toTable() {
        return ReportTable.summary(this);
    }

    /** @return one line per image pair: prompt, seed, rewards and judge scores of both */
    public String toDetailTable() {
        return ReportTable.details(this);
    }

    @Override
    public String toString() {
        return "EvalReport[" + policyName + " vs " + baselineName + ": " + decision + ", reward " + rewardWinRate
                + (judge == null ? "" : ", judge " + judge.winRate()) + "]";
    }
}
