package dev.alignloop.cli;

import dev.alignloop.eval.EvalCommandSupport;
import dev.alignloop.eval.EvalConfig;
import dev.alignloop.eval.EvalReport;
import dev.alignloop.eval.PromptSource;
import dev.alignloop.eval.SamplerSettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code alignloop eval}: one checkpoint against a baseline, with the same gate the loop uses. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Compare a policy (checkpoint or diffusers folder) with a baseline on held-out prompts with "
                + "fixed seeds: reward win-rate, judge win-rate with a 95%% CI, per-attribute accuracy, and the "
                + "gate's PROMOTED/REJECTED decision. Writes a sample grid (baseline row above policy row)."})
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--policy", required = true, description = "Candidate: a training checkpoint dir or a diffusers folder.")
    Path policy;

    @Option(names = "--baseline", defaultValue = "models/shapes-base",
            description = "Baseline diffusers folder (also supplies components a checkpoint lacks). Default: ${DEFAULT-VALUE}.")
    Path baseline;

    @Option(names = "--reward", defaultValue = "models/shapes-reward/reward.json",
            description = "Reward model manifest. Default: ${DEFAULT-VALUE}.")
    Path reward;

    @Option(names = "--prompts", description = "Prompt file (one per line); default: held-out prompts of the shapes grammar.")
    Path prompts;

    @Option(names = "--count", defaultValue = "" + EvalConfig.DEFAULT_PROMPT_COUNT,
            description = "Held-out prompts to sample when --prompts is not given. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--steps", defaultValue = "" + SamplerSettings.DEFAULT_STEPS, description = "Sampling steps. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--guidance", defaultValue = "" + SamplerSettings.DEFAULT_GUIDANCE,
            description = "Classifier-free guidance. Default: ${DEFAULT-VALUE}.")
    double guidance;

    @Option(names = "--grid", defaultValue = ".alignloop/eval-grid.png", description = "Sample grid PNG. Default: ${DEFAULT-VALUE}.")
    Path grid;

    @Option(names = "--no-judge", description = "Decide on the reward model alone (for worlds without a programmatic judge).")
    boolean noJudge;

    @Override
    public Integer call() {
        EvalConfig config = EvalConfig.builder()
                .optPrompts(prompts != null ? PromptSource.file(prompts)
                        : PromptSource.heldOut(count, EvalConfig.DEFAULT_PROMPT_SEED))
                .optSampler(new SamplerSettings(steps, guidance, null))
                .optJudge(!noJudge)
                .build();
        EvalReport report = EvalCommandSupport.run(policy, baseline, reward, config, grid);
        System.out.println(report.toTable());
        System.out.println("grid: " + grid.toAbsolutePath());
        return 0;
    }
}
