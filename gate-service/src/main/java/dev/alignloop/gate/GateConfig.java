package dev.alignloop.gate;

import dev.alignloop.eval.EvalConfig;
import dev.alignloop.eval.GateRule;
import dev.alignloop.eval.PromptSource;
import dev.alignloop.eval.SamplerSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;
import java.time.Duration;

/** The gate's settings ({@code alignloop.gate.*}); documented key by key in application.yml. */
@ConfigurationProperties("alignloop.gate")
public record GateConfig(
        @Bindable(defaultValue = "models/shapes-base") Path baseModelDir,
        @Bindable(defaultValue = ".alignloop/checkpoints") Path checkpointDir,
        @Bindable(defaultValue = "true") boolean verifyCheckpoints,
        @Bindable(defaultValue = "models/shapes-reward/reward.json") Path rewardManifest,
        @Bindable(defaultValue = "true") boolean judge,
        @Bindable(defaultValue = "64") int promptCount,
        @Bindable(defaultValue = "2024") long promptSeed,
        @Nullable Path promptFile,
        @Bindable(defaultValue = "1") int seedsPerPrompt,
        @Bindable(defaultValue = "1000") long imageSeed,
        @Bindable(defaultValue = "20") int steps,
        @Bindable(defaultValue = "3.0") double guidance,
        @Bindable(defaultValue = "0.5") double minRewardWinRate,
        @Bindable(defaultValue = "0.5") double judgeLowerBoundAbove,
        @Bindable(defaultValue = "0.6") double minJudgeWinRate,
        @Bindable(defaultValue = "0.02") double hackingEpsilon,
        @Bindable(defaultValue = "true") boolean mustBeatPromoted,
        @Bindable(defaultValue = "0.0") double promotedTolerance,
        @Bindable(defaultValue = ".alignloop/evals") Path gridDir,
        @Bindable(defaultValue = "0") int djlThreads,
        @Bindable(defaultValue = "auto") String device,
        @Bindable(defaultValue = "alignloop-gate") String groupId,
        @Bindable(defaultValue = "alignloop-gate") String transactionalIdPrefix,
        @Bindable(defaultValue = "local") String instanceId,
        @Bindable(defaultValue = "15m") Duration maxPollInterval) {

    /** Validates what {@link #evalConfig()} does not. */
    public GateConfig {
        if (!(promotedTolerance >= 0 && promotedTolerance <= 1)) {
            throw new IllegalArgumentException("alignloop.gate.promoted-tolerance must be in [0, 1] (win-rate points / 100), got "
                    + promotedTolerance);
        }
    }

    /** The eval settings these keys describe; invalid combinations fail here, naming the value. */
    public EvalConfig evalConfig() {
        GateRule rule = new GateRule(minRewardWinRate, judgeLowerBoundAbove, minJudgeWinRate, hackingEpsilon);
        return EvalConfig.builder()
                .optPrompts(promptFile != null ? PromptSource.file(promptFile) : PromptSource.heldOut(promptCount, promptSeed))
                .optSeedsPerPrompt(seedsPerPrompt)
                .optImageSeed(imageSeed)
                .optSampler(new SamplerSettings(steps, guidance, null))
                .optJudge(judge)
                .optRule(rule)
                .build();
    }
}
