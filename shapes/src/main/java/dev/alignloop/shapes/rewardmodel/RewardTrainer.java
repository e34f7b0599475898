package dev.alignloop.shapes.rewardmodel;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alignloop.diffusion.optim.AdamW;
import dev.alignloop.diffusion.optim.AdamWConfig;
import dev.alignloop.diffusion.optim.LrSchedule;
import dev.alignloop.reward.OnnxRewardScorer;
import dev.alignloop.reward.RewardManifest;
import dev.alignloop.reward.RewardModel;
import dev.alignloop.reward.ScorerOptions;
import dev.alignloop.reward.onnx.TinyClipOnnx;
import dev.alignloop.reward.onnx.TinyClipSpec;
import dev.alignloop.shapes.model.ShapesArtifacts;
import dev.alignloop.shapes.model.ShapesTokenizer;
import dev.alignloop.shapes.pretrain.EngineThreads;
import dev.alignloop.shapes.pretrain.PretrainProgress;
import dev.alignloop.shapes.prompt.PromptSplit;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the shapes world's reward model — the AI feedback of the loop — and exports it to ONNX
 * ({@code alignloop pretrain reward}).
 *
 * <p>A {@link TinyClipModel} is trained from scratch with a symmetric InfoNCE loss on clean
 * renderings and their canonical captions plus hard negatives ({@link ContrastiveStep}, {@link
 * RewardData}), then exported with {@link TinyClipOnnx#export} ({@code model.onnx}, {@code
 * reward.json} with score statistics, {@code tokenizer.json}). The export is opened with ONNX
 * Runtime and evaluated on held-out and train scenes ({@link RewardAccuracy}), and its scores are
 * compared with DJL's on the same inputs; everything goes into {@code train.json}, then the folder
 * replaces {@code outputDir} with a {@code CHECKSUMS.sha256}.
 */
public final class RewardTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(RewardTrainer.class);
    /** Model name recorded in the manifest (and on every label). */
    public static final String MODEL_NAME = "shapes-reward";
    /** Seed of the evaluation images (fixed, so every run is measured on the same ones). */
    static final long EVAL_SEED = 20_240_601L;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RewardTrainer() {
    }

    /**
     * Trains, exports, verifies and publishes the reward model.
     *
     * @param progress receives a report every {@code logEvery} steps and at the last step
     */
    public static RewardResult run(RewardOptions options, Consumer<PretrainProgress> progress) {
        EngineThreads.configure(options.threads());
        Instant started = Instant.now();
        ShapesTokenizer tokenizer = ShapesTokenizer.create();
        TinyClipSpec spec = ShapesRewardSpec.spec(tokenizer.vocabSize());
        try (NDManager root = NDManager.newBaseManager()) {
            TinyClipModel model = TinyClipModel.random(spec, options.seed(), root);
            model.train(true);
            model.attachGradients();
            TinyClipScorer djl = new TinyClipScorer(model, tokenizer, root, MODEL_NAME);
            double loss;
            try (AdamW optimizer = new AdamW(new AdamWConfig(0.9, 0.999, 1e-8, options.weightDecay()), root)) {
                loss = train(model, tokenizer, djl, optimizer, options, progress, root);
            }
            model.eval();
            Path staged = ShapesArtifacts.stagingDir(options.outputDir());
            Path tokenizerFile = tokenizer.save(staged);
            RewardManifest manifest = TinyClipOnnx.export(spec, model.weights(), staged, MODEL_NAME, tokenizerFile);
            RewardAccuracy heldOut;
            RewardAccuracy train;
            double parity;
            try (OnnxRewardScorer onnx = OnnxRewardScorer.open(manifest.file(), ScorerOptions.defaults()
                    .withIntraOpThreads(options.threads()))) {
                int n = Math.max(options.evalImages(), 1);
                heldOut = RewardAccuracy.evaluate(onnx, PromptSplit.Part.HELD_OUT, n, EVAL_SEED);
                train = RewardAccuracy.evaluate(onnx, PromptSplit.Part.TRAIN, n, EVAL_SEED + 1);
                RewardAccuracy heldOutDjl = RewardAccuracy.evaluate(djl, PromptSplit.Part.HELD_OUT, Math.min(n, 64), EVAL_SEED);
                parity = maxParityError(onnx, djl);
                LOG.info("reward model: held-out {} | train {} | DJL held-out (64 images) {} | max |ONNX - DJL| {}",
                        heldOut, train, heldOutDjl, parity);
                manifest = withStats(manifest, onnx);
            }
            writeInfo(staged, options, spec, loss, heldOut, train, parity, manifest);
            Path out = ShapesArtifacts.publish(staged, options.outputDir());
            LOG.info("reward model written to {}", out);
            return new RewardResult(out, options.steps(), loss, heldOut, train, parity,
                    Duration.between(started, Instant.now()));
        }
    }

    private static double train(TinyClipModel model, ShapesTokenizer tokenizer, TinyClipScorer pixels, AdamW optimizer,
                                RewardOptions options, Consumer<PretrainProgress> progress, NDManager root) {
        ContrastiveStep step = new ContrastiveStep(model, tokenizer, optimizer, 1.0);
        RewardData data = new RewardData(options.seed(), options.scenes(), pixels);
        LrSchedule schedule = LrSchedule.cosine(options.warmupSteps(), options.steps());
        double avg = 0;
        long n = 0;
        long t0 = System.nanoTime();
        for (long s = 0; s < options.steps(); s++) {
            double lr = schedule.lr(options.learningRate(), s);
            double loss = step.run(data.batch(s, options.batchSize(), options.negatives()), lr, root);
            n++;
            avg = 0.95 * avg + 0.05 * loss;
            double smoothed = avg / (1 - Math.pow(0.95, n));
            long done = s + 1;
            if (done % options.logEvery() == 0 || done == options.steps()) {
                double sec = (System.nanoTime() - t0) / 1e9;
                double rate = done / Math.max(sec, 1e-9);
                progress.accept(new PretrainProgress(done, options.steps(), loss, smoothed, lr, rate,
                        Duration.ofMillis((long) (sec * 1000)),
                        Duration.ofMillis((long) ((options.steps() - done) / rate * 1000))));
            }
        }
        return avg / (1 - Math.pow(0.95, n));
    }

    /** Largest |ONNX - DJL| score over a few held-out images against their captions. */
    private static double maxParityError(RewardModel onnx, RewardModel djl) {
        List<dev.alignloop.shapes.prompt.SceneSpec> scenes =
                new dev.alignloop.shapes.prompt.PromptSampler(PromptSplit.Part.HELD_OUT).sample(16, EVAL_SEED);
        dev.alignloop.shapes.render.SceneRenderer r = dev.alignloop.shapes.render.SceneRenderer.ofSize(32);
        List<BufferedImage> images = scenes.stream().map(s -> r.render(s, s.hashCode()).image()).toList();
        List<String> prompts = scenes.stream().map(dev.alignloop.shapes.prompt.SceneSpec::caption).toList();
        double[] a = onnx.score(prompts, images);
        double[] b = djl.score(prompts, images);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** The manifest with the mean/std of true-caption scores on rendered train scenes (for ensembles). */
    private static RewardManifest withStats(RewardManifest m, RewardModel onnx) {
        List<dev.alignloop.shapes.prompt.SceneSpec> scenes =
                new dev.alignloop.shapes.prompt.PromptSampler(PromptSplit.Part.TRAIN).sample(256, EVAL_SEED + 2);
        dev.alignloop.shapes.render.SceneRenderer r = dev.alignloop.shapes.render.SceneRenderer.ofSize(32);
        double[] s = onnx.score(scenes.stream().map(dev.alignloop.shapes.prompt.SceneSpec::caption).toList(),
                scenes.stream().map(x -> r.render(x, x.hashCode()).image()).toList());
        double mean = java.util.Arrays.stream(s).average().orElse(0);
        double var = java.util.Arrays.stream(s).map(v -> (v - mean) * (v - mean)).average().orElse(0);
        RewardManifest out = new RewardManifest(m.file(), m.name(), m.model(), m.sha256(), m.inputs(), m.output(),
                m.image(), m.tokenizer(), new RewardManifest.ScoreStats(mean, Math.max(Math.sqrt(var), 1e-6)));
        out.write(out.file());
        return out;
    }

    private static void writeInfo(Path dir, RewardOptions o, TinyClipSpec spec, double loss, RewardAccuracy heldOut,
                                  RewardAccuracy train, double parity, RewardManifest manifest) {
        ObjectNode info = JSON.createObjectNode();
        info.put("command", "alignloop pretrain reward");
        info.put("steps", o.steps());
        info.put("batch_size", o.batchSize());
        info.put("negatives_per_image", o.negatives());
        info.put("learning_rate", o.learningRate());
        info.put("warmup_steps", o.warmupSteps());
        info.put("weight_decay", o.weightDecay());
        info.put("scenes", o.scenes().name());
        info.put("seed", o.seed());
        info.put("threads", o.threads());
        info.put("spec", spec.toString());
        info.put("final_loss_smoothed", Math.round(loss * 1e5) / 1e5);
        info.put("heldout_accuracy", heldOut.toString());
        info.put("heldout_pairwise", Math.round(heldOut.pairwise() * 1e4) / 1e4);
        info.put("train_accuracy", train.toString());
        info.put("train_pairwise", Math.round(train.pairwise() * 1e4) / 1e4);
        info.put("max_onnx_djl_score_error", parity);
        info.put("score_mean", manifest.stats().mean());
        info.put("score_std", manifest.stats().std());
        try {
            JSON.writeValue(dir.resolve("train.json").toFile(), info);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("train.json"), e);
        }
    }
}
