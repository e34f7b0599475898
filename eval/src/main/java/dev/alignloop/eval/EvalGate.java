package dev.alignloop.eval;

import dev.alignloop.reward.RewardModel;
import dev.alignloop.shapes.judge.AttributeAccuracy;
import dev.alignloop.shapes.judge.JudgeResult;
import dev.alignloop.shapes.judge.WinRate;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares a policy to a baseline on fixed prompts and seeds and decides whether to promote it.
 *
 * <p>For every prompt and seed both samplers generate an image (the same seed, so each pair
 * differs only by the weights); the reward model scores both, the judge (if any) checks both.
 * Win-rates are paired per image pair, ties count half, with a Wilson 95% interval (shapes'
 * {@link WinRate}). With several seeds per prompt the pairs of one prompt are not independent,
 * so the interval is somewhat too narrow; one seed per prompt keeps it honest.
 *
 * <p>Everything is checked before the first image is generated: every prompt must be accepted
 * by both samplers and the judge, so a long evaluation never dies on prompt 60 of 64.
 *
 * <p>Keeps no state between evaluations. Concurrent evaluations are as safe as the samplers
 * they use ({@link DiffusionSampler} serializes its calls; the ONNX reward scorer is thread-safe).
 */
public final class EvalGate {
    private static final Logger LOG = LoggerFactory.getLogger(EvalGate.class);

    private final RewardModel reward;
    private final PromptJudge judge;
    private final Clock clock;

    /**
     * @param reward the reward model (not closed by the gate)
     * @param judge the independent judge, or null to gate on the reward alone
     */
    public EvalGate(RewardModel reward, PromptJudge judge) {
        this(reward, judge, Clock.systemUTC());
    }

    /** For tests: a fixed clock for {@link EvalReport#finishedAt()}. */
    EvalGate(RewardModel reward, PromptJudge judge, Clock clock) {
        this.reward = Objects.requireNonNull(reward, "reward");
        this.judge = judge;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Runs an evaluation.
     *
     * @param policy the candidate (a new checkpoint)
     * @param baseline what it must beat (the base model, or the current PROMOTED checkpoint)
     * @param config prompts, seeds, sampler settings and the rule
     * @return the report, decision included
     * @throws IllegalArgumentException listing every prompt a sampler or the judge cannot take
     * @throws IllegalStateException if a sampler returns the wrong number of images
     * @throws dev.alignloop.reward.RewardScoreException if the reward model fails
     */
    public EvalReport evaluate(ImageSampler policy, ImageSampler baseline, EvalConfig config) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(config, "config");
        long start = System.nanoTime();
        PromptJudge activeJudge = config.judge() ? judge : null;
        List<String> prompts = config.prompts().resolve();
        validate(prompts, policy, baseline, activeJudge);

        // One entry per image pair, prompt-major: the order of the report and the grid.
        int n = prompts.size() * config.seedsPerPrompt();
        List<String> pairPrompts = new ArrayList<>(n);
        long[] seeds = new long[n];
        int[] promptIndex = new int[n];
        for (int i = 0, p = 0; i < prompts.size(); i++) {
            for (int k = 0; k < config.seedsPerPrompt(); k++, p++) {
                pairPrompts.add(prompts.get(i));
                seeds[p] = config.seedFor(i, k);
                promptIndex[p] = i;
            }
        }
        LOG.info("eval: {} vs {} on {} pairs ({}; {})", policy.name(), baseline.name(), n,
                config.prompts().describe(), config.sampler());
        List<BufferedImage> baseImages = sampleAll(baseline, pairPrompts, seeds, config.batchSize());
        List<BufferedImage> policyImages = sampleAll(policy, pairPrompts, seeds, config.batchSize());

        // Scored as two separate lists with the same batching: identical images then get
        // bit-identical rewards, so a copy of the baseline ties exactly on every pair.
        double[] rewardBase = reward.score(pairPrompts, baseImages);
        double[] rewardPolicy = reward.score(pairPrompts, policyImages);
        WinRate rewardWinRate = WinRate.of(rewardPolicy, rewardBase, config.rewardTieTolerance());

        List<JudgeResult> judgedBase = activeJudge == null ? null : judgeAll(activeJudge, baseImages, pairPrompts);
        List<JudgeResult> judgedPolicy = activeJudge == null ? null
                : judgeAll(activeJudge, policyImages, pairPrompts);
        JudgeSummary summary = null;
        if (activeJudge != null) {
            double[] jp = judgedPolicy.stream().mapToDouble(JudgeResult::score).toArray();
            double[] jb = judgedBase.stream().mapToDouble(JudgeResult::score).toArray();
            summary = new JudgeSummary(WinRate.of(jp, jb), AttributeAccuracy.of(judgedPolicy),
                    AttributeAccuracy.of(judgedBase));
        }

        List<EvalSample> samples = new ArrayList<>(n);
        for (int p = 0; p < n; p++) {
            samples.add(new EvalSample(promptIndex[p], pairPrompts.get(p), seeds[p], baseImages.get(p),
                    policyImages.get(p), rewardBase[p], rewardPolicy[p],
                    judgedBase == null ? null : judgedBase.get(p), judgedPolicy == null ? null : judgedPolicy.get(p)));
        }
        double meanPolicy = mean(rewardPolicy);
        double meanBase = mean(rewardBase);
        GateRule.Verdict verdict = config.rule().decide(new GateRule.Evidence(rewardWinRate, meanPolicy, meanBase,
                summary));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        EvalReport report = new EvalReport(policy.name(), baseline.name(), reward.id(),
                activeJudge == null ? null : activeJudge.name(), config, prompts.size(), samples, rewardWinRate,
                meanPolicy, meanBase, summary, verdict.decision(), verdict.reason(), clock.instant(), elapsed);
        LOG.info("eval: {} {}: {}", policy.name(), verdict.decision(), verdict.reason());
        return report;
    }

    /** Every problem with every prompt, at once, before any work. */
    private static void validate(List<String> prompts, ImageSampler policy, ImageSampler baseline, PromptJudge judge) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            String prompt = prompts.get(i);
            check(problems, i, prompt, "policy " + policy.name(), policy.validatePrompt(prompt));
            check(problems, i, prompt, "baseline " + baseline.name(), baseline.validatePrompt(prompt));
            if (judge != null) {
                check(problems, i, prompt, "judge " + judge.name(), judge.validatePrompt(prompt));
            }
        }
        if (!problems.isEmpty()) {
            int shown = Math.min(problems.size(), 10);
            throw new IllegalArgumentException(problems.size() + " problem(s) with the eval prompts:\n  "
                    + String.join("\n  ", problems.subList(0, shown))
                    + (shown < problems.size() ? "\n  ... and " + (problems.size() - shown) + " more" : ""));
        }
    }

    private static void check(List<String> problems, int i, String prompt, String who, Optional<String> problem) {
        problem.ifPresent(p -> problems.add("prompt " + i + " \"" + prompt + "\": " + who + ": " + p));
    }

    private static List<BufferedImage> sampleAll(ImageSampler sampler, List<String> prompts, long[] seeds,
            int batchSize) {
        List<BufferedImage> out = new ArrayList<>(prompts.size());
        for (int from = 0; from < prompts.size(); from += batchSize) {
            int to = Math.min(prompts.size(), from + batchSize);
            List<BufferedImage> batch = sampler.sample(prompts.subList(from, to), Arrays.copyOfRange(seeds, from, to));
            if (batch == null || batch.size() != to - from) {
                throw new IllegalStateException("sampler " + sampler.name() + " returned "
                        + (batch == null ? "null" : batch.size() + " images") + " for " + (to - from) + " prompts");
            }
            for (BufferedImage image : batch) {
                if (image == null) {
                    throw new IllegalStateException("sampler " + sampler.name() + " returned a null image");
                }
            }
            out.addAll(batch);
            LOG.debug("eval: {} sampled {}/{}", sampler.name(), to, prompts.size());
        }
        return out;
    }

    private static List<JudgeResult> judgeAll(PromptJudge judge, List<BufferedImage> images, List<String> prompts) {
        List<JudgeResult> out = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            out.add(judge.judge(images.get(i), prompts.get(i)));
        }
        return out;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }
}
