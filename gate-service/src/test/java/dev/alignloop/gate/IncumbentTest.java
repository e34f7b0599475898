package dev.alignloop.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.eval.Decision;
import dev.alignloop.eval.EvalConfig;
import dev.alignloop.eval.EvalReport;
import dev.alignloop.eval.JudgeSummary;
import dev.alignloop.reward.RewardModelId;
import dev.alignloop.schemas.avro.EvalDecision;
import dev.alignloop.schemas.avro.EvalResult;
import dev.alignloop.shapes.judge.AttributeAccuracy;
import dev.alignloop.shapes.judge.CheckKind;
import dev.alignloop.shapes.judge.WinRate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Champion/challenger: the served policy never regresses on the gate's own metric. */
class IncumbentTest {
    private static final Incumbent CHAMPION = new Incumbent("ckpt-32", 0.64, "judge");

    private static EvalReport report(Decision decision, int judgeWins, int judgeTies, int judgeLosses) {
        int n = judgeWins + judgeTies + judgeLosses;
        AttributeAccuracy acc = new AttributeAccuracy(Map.of(CheckKind.COLOR, 0), Map.of(CheckKind.COLOR, n), 0, n, 0.5);
        JudgeSummary judge = new JudgeSummary(WinRate.fromCounts(judgeWins, judgeTies, judgeLosses), acc, acc);
        return new EvalReport("policy", "base", new RewardModelId("r", "0".repeat(64)), "judge", EvalConfig.defaults(), n,
                List.of(), WinRate.fromCounts(40, 0, 24), 1.0, 0.9, judge, decision, "rule says " + decision,
                Instant.EPOCH, Duration.ZERO);
    }

    @Test
    void aChallengerBelowTheChampionIsRejectedWithBothScores() {
        EvalReport r = CHAMPION.challenge("ckpt-64", report(Decision.PROMOTED, 30, 18, 16), 0.0); // 60.9%
        assertEquals(Decision.REJECTED, r.decision());
        assertTrue(r.reason().contains("60.9%") && r.reason().contains("ckpt-32's 64.0%")
                && r.reason().contains("rule says PROMOTED"), r.reason());
    }

    @Test
    void aChallengerAtOrAboveTheChampionOrWithinTheToleranceStaysPromoted() {
        EvalReport better = report(Decision.PROMOTED, 40, 10, 14); // 70.3%
        assertSame(better, CHAMPION.challenge("ckpt-64", better, 0.0));
        EvalReport close = report(Decision.PROMOTED, 30, 18, 16); // 60.9%: within 5 points
        assertSame(close, CHAMPION.challenge("ckpt-64", close, 0.05));
    }

    @Test
    void rejectionsAndTheChampionItselfAreLeftAlone() {
        EvalReport rejected = report(Decision.REJECTED, 10, 10, 44);
        assertSame(rejected, CHAMPION.challenge("ckpt-64", rejected, 0.0));
        EvalReport self = report(Decision.PROMOTED, 20, 4, 40); // a retried transaction re-decides the champion
        assertSame(self, CHAMPION.challenge("ckpt-32", self, 0.0));
    }

    @Test
    void restoredFromAPromotedEvalResultOnly() {
        EvalResult.Builder b = EvalResult.newBuilder().setCheckpointVersion("ckpt-9").setBaselineVersion("base")
                .setPrompts(64).setWinRate(0.7).setWinRateLow(0.6).setWinRateHigh(0.8).setMeanReward(1.0)
                .setMeanRewardBaseline(0.9).setReason("x").setEvaluatedAt(Instant.EPOCH);
        assertEquals(new Incumbent("ckpt-9", 0.66, "judge"),
                Incumbent.of(b.setJudgeWinRate(0.66).setDecision(EvalDecision.PROMOTED).build()).orElseThrow());
        assertEquals(new Incumbent("ckpt-9", 0.7, "reward"),
                Incumbent.of(b.setJudgeWinRate(null).setDecision(EvalDecision.PROMOTED).build()).orElseThrow());
        assertTrue(Incumbent.of(b.setDecision(EvalDecision.REJECTED).build()).isEmpty());
    }
}
