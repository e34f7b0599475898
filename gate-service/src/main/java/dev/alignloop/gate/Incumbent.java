package dev.alignloop.gate;

import dev.alignloop.eval.Decision;
import dev.alignloop.eval.EvalReport;
import java.util.Locale;
import dev.alignloop.schemas.avro.EvalDecision;
import dev.alignloop.schemas.avro.EvalResult;
import java.util.Optional;

/**
 * The checkpoint the generator serves (the last PROMOTED one) and the score it was promoted with:
 * its judge win-rate against the base model, or its reward win-rate when the gate runs without a
 * judge. A challenger must match it to replace it ({@code alignloop.gate.must-beat-promoted}).
 *
 * @param version the promoted checkpoint's version
 * @param winRate its win-rate against the base model
 * @param metric {@code "judge"} or {@code "reward"}: which win-rate
 */
public record Incumbent(String version, double winRate, String metric) {

    /** The score a report gives its policy, on the metric the gate decides by. */
    public static Incumbent of(String version, EvalReport report) {
        return report.judgeSummary()
                .map(j -> new Incumbent(version, j.winRate().rate(), "judge"))
                .orElseGet(() -> new Incumbent(version, report.rewardWinRate().rate(), "reward"));
    }

    /**
     * The verdict on a challenger: a report that passes the rule but whose win-rate (on this
     * incumbent's metric) is below {@code winRate - tolerance} becomes REJECTED, with a reason naming
     * both scores; anything else (a rejection, a tie or better, the incumbent itself) is unchanged.
     */
    public EvalReport challenge(String challengerVersion, EvalReport report, double tolerance) {
        if (!report.promoted() || version.equals(challengerVersion)) {
            return report;
        }
        Incumbent challenger = of(challengerVersion, report);
        if (challenger.winRate() >= winRate - tolerance) {
            return report;
        }
        String reason = String.format(Locale.ROOT,
                "passes the rule (%s), but its %s win-rate vs the base, %.1f%%, is below the promoted %s's %.1f%%%s "
                        + "(alignloop.gate.must-beat-promoted)", report.reason(), challenger.metric(),
                100 * challenger.winRate(), version, 100 * winRate,
                tolerance > 0 ? String.format(Locale.ROOT, " minus %.1f points", 100 * tolerance) : "");
        return new EvalReport(report.policyName(), report.baselineName(), report.rewardModel(), report.judgeName(),
                report.config(), report.promptCount(), report.samples(), report.rewardWinRate(), report.meanRewardPolicy(),
                report.meanRewardBaseline(), report.judge(), Decision.REJECTED, reason, report.finishedAt(),
                report.elapsed());
    }

    /** The incumbent a PROMOTED eval result describes; empty for a REJECTED one. */
    public static Optional<Incumbent> of(EvalResult r) {
        if (r.getDecision() != EvalDecision.PROMOTED) {
            return Optional.empty();
        }
        return Optional.of(r.getJudgeWinRate() != null
                ? new Incumbent(r.getCheckpointVersion(), r.getJudgeWinRate(), "judge")
                : new Incumbent(r.getCheckpointVersion(), r.getWinRate(), "reward"));
    }
}
