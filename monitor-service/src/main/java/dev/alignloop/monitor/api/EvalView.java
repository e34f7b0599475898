package dev.alignloop.monitor.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One eval-gate result ({@code GET /api/evals}); fields as in {@code EvalResult}.
 *
 * @param checkpointVersion candidate
 * @param baselineVersion baseline it was compared against
 * @param prompts held-out prompts evaluated
 * @param winRate candidate win rate (ties half)
 * @param winRateLow lower bound of its 95% interval
 * @param winRateHigh upper bound
 * @param meanReward candidate mean reward
 * @param meanRewardBaseline baseline mean reward
 * @param judgeScore candidate judge score, if a judge ran
 * @param judgeScoreBaseline baseline judge score, if a judge ran
 * @param decision {@code PROMOTED} or {@code REJECTED}
 * @param reason the rule outcome
 * @param evaluatedAtMs when
 */
@Serdeable
public record EvalView(String checkpointVersion, String baselineVersion, int prompts, double winRate,
    double winRateLow, double winRateHigh, double meanReward, double meanRewardBaseline,
    @Nullable Double judgeScore, @Nullable Double judgeScoreBaseline, String decision, String reason,
    long evaluatedAtMs) {}
