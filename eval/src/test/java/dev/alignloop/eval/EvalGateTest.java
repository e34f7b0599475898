package dev.alignloop.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.reward.OnnxRewardScorer;
import dev.alignloop.reward.RewardModel;
import dev.alignloop.reward.ScorerOptions;
import dev.alignloop.shapes.judge.CheckKind;
import dev.alignloop.shapes.judge.WinRate;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate end to end with real image sources: the shapes renderer drawing the right scene (a
 * perfect policy) or a wrong one, judged by the real shapes judge, rewarded by pixel-measuring
 * reward models and by a tiny random ONNX reward model served by ONNX Runtime.
 */
class EvalGateTest {
    private static final EvalConfig CONFIG = EvalConfig.defaults(); // 64 held-out prompts, 1 seed each
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    static Path tmp;
    private static OnnxRewardScorer onnx;

    @BeforeAll
    static void openOnnxReward() {
        onnx = OnnxRewardScorer.open(Worlds.tinyOnnxReward(tmp), ScorerOptions.defaults().withIntraOpThreads(1));
    }

    @AfterAll
    static void closeOnnxReward() {
        onnx.close();
    }

    private static EvalGate gate(RewardModel reward) {
        return new EvalGate(reward, ShapesJudge.defaults(), CLOCK);
    }

    @Test
    void theRightScenesBeatWrongColoursAndArePromoted() {
        EvalReport r = gate(Worlds.colourMatch()).evaluate(Worlds.correct(), Worlds.recoloured(), CONFIG);
        JudgeSummary j = r.judge();
        assertTrue(j.winRate().rate() >= 0.95, j.winRate().toString());
        assertTrue(j.winRate().lower() > 0.9, j.winRate().toString());
        assertTrue(r.rewardWinRate().rate() >= 0.95, r.rewardWinRate().toString());
        assertEquals(Decision.PROMOTED, r.decision(), r.reason());
        // The judge sees what changed: colours (and the counts of that colour), not shapes.
        assertTrue(j.policy().accuracy(CheckKind.COLOR) >= 0.95, j.policy().toString());
        assertTrue(j.baseline().accuracy(CheckKind.COLOR) <= 0.05, j.baseline().toString());
        assertTrue(j.baseline().accuracy(CheckKind.SHAPE) >= 0.9, j.baseline().toString());
        assertEquals(64, r.promptCount());
        assertEquals(64, r.pairCount());
        assertEquals(CLOCK.instant(), r.finishedAt());
        assertEquals("correct", r.policyName());
        assertEquals("recoloured", r.baselineName());
        String table = r.toTable();
        assertTrue(table.contains("PROMOTED"), table);
        assertTrue(table.contains("judge win-rate"), table);
        assertTrue(table.contains("color"), table);
        assertEquals(65, r.toDetailTable().lines().count());
    }

    @Test
    void wrongColoursAgainstTheRightScenesAreRejected() {
        EvalReport r = gate(Worlds.colourMatch()).evaluate(Worlds.recoloured(), Worlds.correct(), CONFIG);
        assertTrue(r.judge().winRate().rate() <= 0.05, r.judge().winRate().toString());
        assertEquals(Decision.REJECTED, r.decision());
        assertTrue(r.reason().startsWith("reward win-rate"), r.reason());
    }

    @Test
    void identicalSamplersTieEverywhereAndAreRejected() {
        EvalReport r = gate(onnx).evaluate(Worlds.correct(), Worlds.correct(), CONFIG);
        assertEquals(WinRate.fromCounts(0, 64, 0), r.rewardWinRate());
        assertEquals(0.5, r.rewardWinRate().rate());
        assertEquals(0.5, r.judge().winRate().rate());
        assertEquals(r.meanRewardPolicy(), r.meanRewardBaseline());
        assertEquals(Decision.REJECTED, r.decision());
        assertTrue(r.reason().startsWith("no difference from the baseline"), r.reason());
    }

    @Test
    void aRandomOnnxRewardGivesConsistentStatistics() {
        EvalConfig config = CONFIG.toBuilder().optPrompts(PromptSource.heldOut(24, 5)).optSeedsPerPrompt(2)
                .optBatchSize(7).build();
        EvalReport r = gate(onnx).evaluate(Worlds.correct(), Worlds.recoloured(), config);
        WinRate w = r.rewardWinRate();
        assertEquals(48, w.n());
        assertTrue(w.rate() >= 0 && w.rate() <= 1);
        assertTrue(w.lower() <= w.rate() && w.rate() <= w.upper(), w.toString());
        double[] p = r.samples().stream().mapToDouble(EvalSample::rewardPolicy).toArray();
        double[] b = r.samples().stream().mapToDouble(EvalSample::rewardBaseline).toArray();
        assertEquals(WinRate.of(p, b, config.rewardTieTolerance()), w);
        assertEquals(java.util.Arrays.stream(p).average().orElseThrow(), r.meanRewardPolicy(), 1e-12);
        // The report's scores are the model's scores of the report's images.
        EvalSample s = r.samples().get(5);
        assertEquals(onnx.score(List.of(s.prompt()), List.of(s.policy()))[0], s.rewardPolicy(), 1e-5);
        assertEquals(onnx.score(List.of(s.prompt()), List.of(s.baseline()))[0], s.rewardBaseline(), 1e-5);
        // Pairs are prompt-major with fixed seeds: both images of a prompt, seeds in order.
        assertEquals(r.samples().get(2).prompt(), r.samples().get(3).prompt());
        assertEquals(config.seedFor(1, 1), r.samples().get(3).seed());
        assertEquals(Decision.PROMOTED.equals(r.decision()), r.promoted());
    }

    @Test
    void rewardUpJudgeDownIsRejectedAsRewardHacking() {
        // The ink reward pays for coloured pixels; the policy draws every object large, in the wrong colour.
        EvalConfig lenient = CONFIG.toBuilder().optRule(GateRule.defaults().withMinJudgeWinRate(0)
                .withJudgeLowerBoundAbove(0)).build();
        EvalReport r = gate(Worlds.ink()).evaluate(Worlds.recolouredLarge(), Worlds.correct(), lenient);
        assertTrue(r.meanRewardPolicy() > r.meanRewardBaseline());
        assertTrue(r.rewardWinRate().rate() > 0.8, r.rewardWinRate().toString());
        assertTrue(r.judge().policyAccuracy() < r.judge().baselineAccuracy() - 0.2);
        assertEquals(Decision.REJECTED, r.decision());
        assertTrue(r.reason().startsWith("reward up, judge down"), r.reason());
        // Without the guard, these thresholds would have promoted it.
        EvalConfig unguarded = lenient.toBuilder().optRule(lenient.rule()
                .withHackingEpsilon(Double.POSITIVE_INFINITY)).build();
        assertEquals(Decision.PROMOTED, gate(Worlds.ink()).evaluate(Worlds.recolouredLarge(), Worlds.correct(),
                unguarded).decision());
    }

    @Test
    void withoutTheJudgeOnlyTheRewardCounts() {
        EvalConfig noJudge = CONFIG.toBuilder().optPrompts(PromptSource.heldOut(16, 3)).optJudge(false).build();
        EvalReport r = gate(Worlds.colourMatch()).evaluate(Worlds.correct(), Worlds.recoloured(), noJudge);
        assertTrue(r.judgeSummary().isEmpty());
        assertEquals(null, r.samples().get(0).judgePolicy());
        assertEquals(Decision.PROMOTED, r.decision());
        assertTrue(r.reason().endsWith("(no judge)"), r.reason());
        assertTrue(r.toTable().contains("judge none"), r.toTable());
    }

    @Test
    void promptsTheJudgeCannotReadFailBeforeAnyImageIsMade() {
        Worlds.RenderingSampler policy = Worlds.correct();
        EvalConfig config = CONFIG.toBuilder().optPrompts(PromptSource.of(List.of("a red circle",
                "a photo of an astronaut", "two blue squares"))).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gate(onnx).evaluate(policy, Worlds.correct(), config));
        assertTrue(e.getMessage().contains("prompt 1 \"a photo of an astronaut\": judge shapes-judge"),
                e.getMessage());
        assertEquals(0, policy.calls.get());
    }

    @Test
    void aSamplerReturningTooFewImagesIsAnError() {
        ImageSampler broken = ImageSampler.named("broken", (prompts, seeds) -> List.<BufferedImage>of());
        EvalConfig config = CONFIG.toBuilder().optPrompts(PromptSource.heldOut(3, 1)).build();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> gate(onnx).evaluate(broken, Worlds.correct(), config));
        assertTrue(e.getMessage().contains("sampler broken returned 0 images for 3 prompts"), e.getMessage());
    }
}
