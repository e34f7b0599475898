package dev.alignloop.eval;

import ai.djl.ndarray.NDManager;
import dev.alignloop.reward.OnnxRewardScorer;
import dev.alignloop.reward.ScorerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The work behind {@code alignloop eval --policy DIR --baseline DIR}: load both models and the
 * ONNX reward model, evaluate, write the sample grid. The CLI command only parses options,
 * calls {@link #run} and prints {@link EvalReport#toTable()}.
 *
 * <p>The policy is usually a training checkpoint holding only {@code unet/}; its other
 * components (text encoder, tokenizer, scheduler...) come from the base model folder, which by
 * default is the baseline's folder (the common case: checkpoint vs the base model it was
 * fine-tuned from). When the baseline is itself a checkpoint, pass the base model explicitly.
 */
public final class EvalCommandSupport {

    private EvalCommandSupport() {
    }

    /**
     * Evaluates {@code policyDir} against {@code baselineDir}, the baseline folder serving as the
     * base model for the policy's missing components.
     *
     * @param policyDir the candidate: a checkpoint or diffusers folder
     * @param baselineDir the baseline: a complete diffusers folder
     * @param rewardManifest the reward model's manifest ({@code reward.json})
     * @param config what to evaluate
     * @param gridOut where to write the sample grid PNG, or null for none
     * @return the report
     */
    public static EvalReport run(Path policyDir, Path baselineDir, Path rewardManifest, EvalConfig config,
            Path gridOut) {
        return run(policyDir, baselineDir, baselineDir, rewardManifest, ScorerOptions.defaults(), config, gridOut);
    }

    /**
     * Evaluates {@code policyDir} against {@code baselineDir}, both taking missing components from
     * {@code baseModelDir}.
     *
     * @param policyDir the candidate: a checkpoint or diffusers folder
     * @param baselineDir the baseline: a checkpoint or diffusers folder
     * @param baseModelDir the complete base model folder, or null when both folders are complete
     * @param rewardManifest the reward model's manifest ({@code reward.json})
     * @param scorerOptions ONNX Runtime threads and batch size
     * @param config what to evaluate
     * @param gridOut where to write the sample grid PNG, or null for none
     * @return the report
     * @throws IllegalArgumentException naming the option whose path does not exist, or listing bad prompts
     */
    public static EvalReport run(Path policyDir, Path baselineDir, Path baseModelDir, Path rewardManifest,
            ScorerOptions scorerOptions, EvalConfig config, Path gridOut) {
        requireDir("--policy", policyDir);
        requireDir("--baseline", baselineDir);
        if (baseModelDir != null) {
            requireDir("base model", baseModelDir);
        }
        Objects.requireNonNull(rewardManifest, "rewardManifest");
        if (!Files.isRegularFile(rewardManifest)) {
            throw new IllegalArgumentException("reward manifest " + rewardManifest + " does not exist (a reward.json"
                    + " written with the ONNX reward model)");
        }
        Objects.requireNonNull(config, "config");
        // Cheapest and likeliest failures first: the reward manifest and checksum, then the policy
        // (a fresh checkpoint, verified against its SHA-256 manifest), then the baseline.
        try (OnnxRewardScorer reward = OnnxRewardScorer.open(rewardManifest, scorerOptions);
                NDManager manager = NDManager.newBaseManager();
                DiffusionSampler policy = DiffusionSampler.load(policyDir, baseModelDir, config.sampler(), manager);
                DiffusionSampler baseline = DiffusionSampler.load(baselineDir, baseModelDir, config.sampler(),
                        manager)) {
            EvalGate gate = new EvalGate(reward, config.judge() ? ShapesJudge.defaults() : null);
            EvalReport report = gate.evaluate(policy, baseline, config);
            if (gridOut != null) {
                SampleGrid.write(report, gridOut, config.gridColumns());
            }
            return report;
        }
    }

    private static void requireDir(String what, Path dir) {
        Objects.requireNonNull(dir, what);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(what + " " + dir + " does not exist or is not a folder");
        }
    }
}
