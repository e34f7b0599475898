package dev.alignloop.gate;

import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.engine.ComputeDevice;
import dev.alignloop.diffusion.checkpoint.CheckpointLocator;
import dev.alignloop.eval.CachingSampler;
import dev.alignloop.eval.DiffusionSampler;
import dev.alignloop.eval.EvalConfig;
import dev.alignloop.eval.EvalGate;
import dev.alignloop.eval.EvalReport;
import dev.alignloop.eval.JudgeSummary;
import dev.alignloop.eval.SampleGrid;
import dev.alignloop.eval.ShapesJudge;
import dev.alignloop.reward.OnnxRewardScorer;
import dev.alignloop.reward.ScorerOptions;
import dev.alignloop.schemas.Topics;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.CheckpointStatus;
import dev.alignloop.schemas.avro.EvalDecision;
import dev.alignloop.schemas.avro.EvalResult;
import dev.alignloop.streaming.InputRecord;
import dev.alignloop.streaming.eos.Outcome;
import dev.alignloop.streaming.eos.Output;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides one checkpoint: every CANDIDATE on {@code alignloop.checkpoints} is evaluated against
 * the base model on fixed held-out prompts and seeds ({@link EvalGate}), then the verdict goes out
 * as an {@link EvalResult} on {@code alignloop.evals} plus the same checkpoint re-published with
 * status PROMOTED or REJECTED (the topic is compacted by version, so the status is the last word).
 *
 * <p>A candidate whose folder is missing or fails verification is REJECTED without an eval: the
 * generator must never serve it. Records that are already decided (the gate's own output comes
 * back on the same topic) are skipped.
 *
 * <p>The baseline is the base model, as in the paper's comparison; its samples are the same for
 * every candidate (fixed prompts and seeds).
 */
@Singleton
public class CheckpointGate implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointGate.class);

    private final GateConfig config;
    private final EvalConfig evalConfig;
    private final Clock clock;
    private final CheckpointLocator locator;
    private final NDManager manager;
    private final OnnxRewardScorer reward;
    private final DiffusionSampler baseSampler;
    /** The base model's eval images are sampled once and reused for every candidate. */
    private final CachingSampler baseline;
    private final EvalGate gate;
    /** The last checkpoint this gate promoted (or restored at start-up); null before any. */
    private volatile Incumbent incumbent;

    public CheckpointGate(GateConfig config, Clock clock) {
        this.config = config;
        this.evalConfig = config.evalConfig();
        this.clock = clock;
        this.locator = new CheckpointLocator(config.checkpointDir(), config.verifyCheckpoints());
        this.manager = ComputeDevice.newManager(ComputeDevice.resolve(config.device(), "alignloop.gate.device"));
        OnnxRewardScorer opened = null;
        try {
            opened = OnnxRewardScorer.open(config.rewardManifest(), ScorerOptions.defaults());
            this.baseSampler = DiffusionSampler.load(config.baseModelDir(), null, evalConfig.sampler(), manager);
            checkPrompts(baseSampler, evalConfig);
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            manager.close();
            throw e;
        }
        this.reward = opened;
        this.baseline = new CachingSampler(baseSampler);
        this.gate = new EvalGate(reward, config.judge() ? ShapesJudge.defaults() : null);
    }

    /**
     * Eval prompts the base model cannot take are a configuration error, found at start-up rather
     * than on the first candidate (where it would be retried forever).
     */
    private static void checkPrompts(DiffusionSampler base, EvalConfig config) {
        List<String> problems = new ArrayList<>();
        List<String> prompts = config.prompts().resolve();
        for (int i = 0; i < prompts.size(); i++) {
            int index = i;
            base.validatePrompt(prompts.get(i)).ifPresent(why -> problems.add("prompt " + index + " '"
                    + prompts.get(index) + "': " + why));
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the eval prompts (" + config.prompts().describe() + ") do not fit the base "
                    + "model: " + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
                    + (problems.size() > 5 ? "; ... (" + problems.size() + " in all)" : "")
                    + ". Set alignloop.gate.prompt-file to prompts the model takes.");
        }
    }

    /** The outcome for one record of the checkpoints topic. */
    public Outcome<SpecificRecord> decide(InputRecord<Checkpoint> record) {
        Checkpoint c = record.value();
        if (c.getStatus() != CheckpointStatus.CANDIDATE) {
            return Outcome.skip("decided");
        }
        Path dir;
        try {
            dir = locator.resolve(new CheckpointLocator.Published(c.getVersion(), c.getUri(), c.getSha256()));
        } catch (RuntimeException e) {
            LOG.warn("checkpoint {} REJECTED without eval: {}", c.getVersion(), e.getMessage());
            return Outcome.emit(List.of(status(c, CheckpointStatus.REJECTED)));
        }
        EvalReport report;
        Path grid = config.gridDir().resolve(c.getVersion() + ".png");
        try (NDManager sub = manager.newSubManager();
                DiffusionSampler candidate = DiffusionSampler.load(dir, config.baseModelDir(), evalConfig.sampler(), sub)) {
            report = gate.evaluate(candidate, baseline, evalConfig);
            Files.createDirectories(grid.getParent());
            SampleGrid.write(report, grid, evalConfig.gridColumns());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the sample grid " + grid, e);
        }
        report = againstIncumbent(c.getVersion(), report);
        LOG.info("checkpoint {} (step {}) {}:\n{}", c.getVersion(), c.getStep(), report.decision(), report.toTable());
        CheckpointStatus status = report.promoted() ? CheckpointStatus.PROMOTED : CheckpointStatus.REJECTED;
        if (report.promoted()) {
            // Set before the transaction commits: should it abort, the same candidate is decided
            // again and compares equal to itself, so the verdict does not change.
            incumbent = Incumbent.of(c.getVersion(), report);
        }
        List<Output<SpecificRecord>> out = new ArrayList<>();
        out.add(new Output<>(Topics.EVALS, c.getVersion(), toResult(c, report, grid)));
        out.add(status(c, status));
        return Outcome.emit(out);
    }

    /** {@link Incumbent#challenge} against the served checkpoint, when the gate is configured to. */
    EvalReport againstIncumbent(String version, EvalReport report) {
        Incumbent current = incumbent;
        return config.mustBeatPromoted() && current != null
                ? current.challenge(version, report, config.promotedTolerance()) : report;
    }

    /** The served checkpoint's score, from the gate's own past verdicts (at start-up). */
    public void restoreIncumbent(java.util.Optional<Incumbent> restored) {
        restored.ifPresent(i -> {
            incumbent = i;
            LOG.info("promoted incumbent: {} ({} win-rate {}% vs the base)", i.version(), i.metric(),
                    String.format(java.util.Locale.ROOT, "%.1f", 100 * i.winRate()));
        });
    }

    /** The served checkpoint as far as this gate knows, if any. */
    public java.util.Optional<Incumbent> incumbent() {
        return java.util.Optional.ofNullable(incumbent);
    }

    private static Output<SpecificRecord> status(Checkpoint c, CheckpointStatus status) {
        return new Output<>(Topics.CHECKPOINTS, c.getVersion(), Checkpoint.newBuilder(c).setStatus(status).build());
    }

    private EvalResult toResult(Checkpoint c, EvalReport r, Path grid) {
        JudgeSummary judge = r.judge();
        return EvalResult.newBuilder()
                .setCheckpointVersion(c.getVersion())
                .setBaselineVersion(r.baselineName())
                .setPrompts(r.promptCount())
                .setWinRate(r.rewardWinRate().rate())
                .setWinRateLow(r.rewardWinRate().lower())
                .setWinRateHigh(r.rewardWinRate().upper())
                .setMeanReward(r.meanRewardPolicy())
                .setMeanRewardBaseline(r.meanRewardBaseline())
                .setJudgeScore(judge == null ? null : judge.policyAccuracy())
                .setJudgeScoreBaseline(judge == null ? null : judge.baselineAccuracy())
                .setJudgeWinRate(judge == null ? null : judge.winRate().rate())
                .setJudgeWinRateLow(judge == null ? null : judge.winRate().lower())
                .setJudgeWinRateHigh(judge == null ? null : judge.winRate().upper())
                .setGridUri(grid.toAbsolutePath().toUri().toString())
                .setDecision(r.promoted() ? EvalDecision.PROMOTED : EvalDecision.REJECTED)
                .setReason(r.reason())
                .setEvaluatedAt(clock.instant())
                .build();
    }

    @Override
    @PreDestroy
    public void close() {
        baseSampler.close();
        reward.close();
        manager.close();
    }
}
