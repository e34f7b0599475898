package dev.alignloop.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.shapes.judge.AttributeAccuracy;
import dev.alignloop.shapes.judge.CheckKind;
import dev.alignloop.shapes.judge.WinRate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The promotion rule on hand-made evidence: each route, the guard, and their order. */
class GateRuleTest {
    private static final GateRule RULE = GateRule.defaults();

    /** A judge summary with the given win counts and mean judge scores. */
    private static JudgeSummary judge(int wins, int ties, int losses, double policyScore, double baselineScore) {
        int n = wins + ties + losses;
        return new JudgeSummary(WinRate.fromCounts(wins, ties, losses), accuracy(policyScore, n),
                accuracy(baselineScore, n));
    }

    private static AttributeAccuracy accuracy(double meanScore, int n) {
        return new AttributeAccuracy(Map.of(CheckKind.COLOR, 0), Map.of(CheckKind.COLOR, n), 0, n, meanScore);
    }

    private static GateRule.Verdict decide(GateRule rule, WinRate reward, double rp, double rb, JudgeSummary j) {
        return rule.decide(new GateRule.Evidence(reward, rp, rb, j));
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertEquals(new GateRule(0.5, 0.5, 0.6, 0.02), RULE);
    }

    @Test
    void promotesThroughTheIntervalRoute() {
        GateRule.Verdict v = decide(RULE, WinRate.fromCounts(40, 0, 24), 1.0, 0.9, judge(50, 4, 10, 0.9, 0.7));
        assertEquals(Decision.PROMOTED, v.decision(), v.reason());
        assertTrue(v.reason().contains("95% lower bound"), v.reason());
    }

    @Test
    void promotesThroughThePointRouteWhenTheIntervalIsTooWide() {
        // 7 of 10: rate 70% >= 60%, but the Wilson lower bound (~40%) is not above 50%.
        JudgeSummary j = judge(7, 0, 3, 0.8, 0.7);
        assertTrue(j.winRate().lower() <= 0.5);
        GateRule.Verdict v = decide(RULE, WinRate.fromCounts(6, 0, 4), 1.0, 0.9, j);
        assertEquals(Decision.PROMOTED, v.decision(), v.reason());
        assertTrue(v.reason().contains(">= 60.0%"), v.reason());
    }

    @Test
    void rejectsAWeakJudgeWinRate() {
        GateRule.Verdict v = decide(RULE, WinRate.fromCounts(40, 0, 24), 1.0, 0.9, judge(30, 4, 30, 0.7, 0.7));
        assertEquals(Decision.REJECTED, v.decision());
        assertTrue(v.reason().contains("judge win-rate 50.0% < 60.0%"), v.reason());
    }

    @Test
    void rejectsALowerRewardWinRateEvenWithAGoodJudge() {
        GateRule.Verdict v = decide(RULE, WinRate.fromCounts(20, 0, 44), 0.8, 0.9, judge(60, 0, 4, 0.9, 0.5));
        assertEquals(Decision.REJECTED, v.decision());
        assertTrue(v.reason().startsWith("reward win-rate 31.3% < 50.0%"), v.reason());
    }

    @Test
    void rewardUpJudgeDownIsRejectedBeforeAnythingElse() {
        // Reward and judge win-rates both pass, but the mean judge score fell by 0.05 > 0.02.
        GateRule lenient = RULE.withMinJudgeWinRate(0);
        GateRule.Verdict v = decide(lenient, WinRate.fromCounts(60, 0, 4), 2.0, 1.0, judge(40, 0, 24, 0.80, 0.85));
        assertEquals(Decision.REJECTED, v.decision());
        assertTrue(v.reason().startsWith(GateRule.REWARD_UP_JUDGE_DOWN), v.reason());
        // Within epsilon, or with the reward not rising, the guard stays quiet.
        assertEquals(Decision.PROMOTED, decide(lenient, WinRate.fromCounts(60, 0, 4), 2.0, 1.0,
                judge(40, 0, 24, 0.84, 0.85)).decision());
        assertEquals(Decision.PROMOTED, decide(lenient.withMinRewardWinRate(0), WinRate.fromCounts(30, 0, 34), 1.0,
                1.0, judge(40, 0, 24, 0.5, 0.85)).decision());
        // An infinite epsilon switches it off.
        assertEquals(Decision.PROMOTED, decide(lenient.withHackingEpsilon(Double.POSITIVE_INFINITY),
                WinRate.fromCounts(60, 0, 4), 2.0, 1.0, judge(40, 0, 24, 0.1, 0.85)).decision());
    }

    @Test
    void aCopyOfTheBaselineIsNeverPromoted() {
        GateRule anything = new GateRule(0, 0, 0, Double.POSITIVE_INFINITY);
        GateRule.Verdict v = decide(anything, WinRate.fromCounts(0, 64, 0), 1.0, 1.0, judge(0, 64, 0, 0.9, 0.9));
        assertEquals(Decision.REJECTED, v.decision());
        assertTrue(v.reason().startsWith("no difference from the baseline"), v.reason());
        assertEquals(Decision.REJECTED, decide(anything, WinRate.fromCounts(0, 64, 0), 1.0, 1.0, null).decision());
    }

    @Test
    void withoutAJudgeTheRewardDecides() {
        GateRule.Verdict v = decide(RULE, WinRate.fromCounts(33, 0, 31), 1.0, 0.9, null);
        assertEquals(Decision.PROMOTED, v.decision());
        assertTrue(v.reason().endsWith("(no judge)"), v.reason());
        assertEquals(Decision.REJECTED, decide(RULE, WinRate.fromCounts(31, 0, 33), 1.0, 0.9, null).decision());
    }

    @Test
    void invalidThresholdsNameTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RULE.withMinRewardWinRate(1.5));
        assertTrue(e.getMessage().startsWith("minRewardWinRate"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RULE.withJudgeLowerBoundAbove(-0.1));
        assertThrows(IllegalArgumentException.class, () -> RULE.withMinJudgeWinRate(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> RULE.withHackingEpsilon(-1));
    }
}
