package dev.alignloop.shapes.pretrain;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alignloop.diffusion.checkpoint.CheckpointStore;
import dev.alignloop.diffusion.checkpoint.RngState;
import dev.alignloop.diffusion.checkpoint.TrainerState;
import dev.alignloop.diffusion.checkpoint.TrainingCheckpoint;
import dev.alignloop.diffusion.optim.AdamW;
import dev.alignloop.diffusion.optim.AdamWConfig;
import dev.alignloop.diffusion.optim.LrSchedule;
import dev.alignloop.diffusion.scheduler.DDPMScheduler;
import dev.alignloop.diffusion.scheduler.SchedulerType;
import dev.alignloop.shapes.model.ShapesArtifacts;
import dev.alignloop.shapes.model.ShapesBaseModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pretrains the shapes world's base model from scratch: UNet and text encoder jointly (no
 * pretrained CLIP exists offline; Diffusion-DPO later freezes the text encoder), on rendered
 * TRAIN scenes with deliberately noisy captions, so the model is imperfect in attribute binding,
 * counting and positions (DESIGN §5). See {@link PretrainData} for the data, {@link
 * DiffusionTrainStep} for the loss, {@link PretrainOptions} for the settings.
 *
 * <p>Deterministic for a given seed and thread count (weights initialised from the seed; batch
 * {@code k} a pure function of seed and k). Checkpoints ({@code CheckpointStore}: weights as a
 * diffusers folder, AdamW state, step) are written every {@code saveEvery} steps; with {@code
 * resume} a run continues from the newest verified one and reaches the same weights as an
 * uninterrupted run. The result is written as a diffusers folder with {@code pretrain.json} (the
 * settings and final loss) and {@code CHECKSUMS.sha256}, replacing {@code outputDir} atomically.
 */
public final class BasePretrainer {
    private static final Logger LOG = LoggerFactory.getLogger(BasePretrainer.class);
    /** File recording a run's settings, in checkpoints and in the output folder. */
    static final String OPTIONS_FILE = "pretrain.json";
    private static final String TRAJECTORY_FILE = "pretrain_trajectory.txt";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BasePretrainer() {
    }

    /**
     * Runs (or resumes) pretraining and writes the model to {@code options.outputDir()}.
     *
     * @param progress receives a report every {@code logEvery} steps and at the last step
     * @throws PretrainException if the loss diverges or a checkpoint cannot be resumed
     */
    public static PretrainResult run(PretrainOptions options, Consumer<PretrainProgress> progress) {
        EngineThreads.configure(options.threads());
        Instant started = Instant.now();
        CheckpointStore store = new CheckpointStore(options.checkpointDir());
        Optional<TrainingCheckpoint> checkpoint = Optional.empty();
        if (options.resume()) {
            checkpoint = store.latestVerified();
        } else {
            clearCheckpoints(store);
        }
        try (NDManager root = NDManager.newBaseManager()) {
            ShapesBaseModel model;
            long start = 0;
            if (checkpoint.isPresent()) {
                TrainingCheckpoint c = checkpoint.get();
                requireSameTrajectory(c.dir(), options);
                model = ShapesBaseModel.load(c.dir(), root);
                start = c.step();
                LOG.info("resuming base pretraining from {} (step {})", c.dir(), start);
            } else {
                model = ShapesBaseModel.random(options.seed(), root);
                LOG.info("base pretraining from scratch: unet {} parameters, text encoder {} parameters, {} steps of {}",
                        model.unet().parameterCount(), model.textEncoder().parameterCount(), options.steps(),
                        options.batchSize());
            }
            model.train(true);
            model.attachGradients();
            try (AdamW optimizer = new AdamW(new AdamWConfig(0.9, 0.999, 1e-8, options.weightDecay()), root)) {
                if (checkpoint.isPresent()) {
                    checkpoint.get().restore(optimizer, root);
                }
                DDPMScheduler scheduler = new DDPMScheduler(model.schedulerConfig().withType(SchedulerType.DDPM));
                DiffusionTrainStep step = new DiffusionTrainStep(model, scheduler, optimizer, options.gradClip());
                PretrainData data = new PretrainData(options.seed(), options.captionNoise(), options.captionDropout(),
                        scheduler.config().numTrainTimesteps());
                LrSchedule lrSchedule = LrSchedule.cosine(options.warmupSteps(), options.steps());
                LossAverage average = new LossAverage(0.05);
                long t0 = System.nanoTime();
                for (long s = start; s < options.steps(); s++) {
                    double lr = lrSchedule.lr(options.learningRate(), s);
                    double loss = step.run(data.batch(s, options.batchSize()), lr, root);
                    average.add(loss);
                    long done = s + 1;
                    if (options.saveEvery() > 0 && done % options.saveEvery() == 0 && done < options.steps()) {
                        saveCheckpoint(store, model, optimizer, options, done, average.get());
                    }
                    if (done % options.logEvery() == 0 || done == options.steps()) {
                        progress.accept(report(done, start, options.steps(), loss, average.get(), lr, t0));
                    }
                }
                Path out = writeOutput(model, options, average.get());
                return new PretrainResult(out, options.steps(), start, average.get(),
                        Duration.between(started, Instant.now()));
            }
        }
    }

    private static PretrainProgress report(long done, long start, long total, double loss, double avg, double lr, long t0) {
        double seconds = (System.nanoTime() - t0) / 1e9;
        double rate = (done - start) / Math.max(seconds, 1e-9);
        return new PretrainProgress(done, total, loss, avg, lr, rate, Duration.ofMillis((long) (seconds * 1000)),
                Duration.ofMillis((long) ((total - done) / rate * 1000)));
    }

    private static void saveCheckpoint(CheckpointStore store, ShapesBaseModel model, AdamW optimizer,
                                       PretrainOptions options, long step, double loss) {
        String version = String.format("step-%07d", step);
        TrainerState state = new TrainerState(version, null, step, step, new RngState(options.seed(), step), List.of(),
                Map.of("loss", loss), Instant.now());
        store.write(state, dir -> {
            model.save(dir);
            Files.writeString(dir.resolve(TRAJECTORY_FILE), options.trajectoryKey(), StandardCharsets.UTF_8);
        }, optimizer);
        store.retain(2, Set.of());
        LOG.info("checkpoint {} written to {}", version, store.root());
    }

    private static void requireSameTrajectory(Path dir, PretrainOptions options) {
        Path f = dir.resolve(TRAJECTORY_FILE);
        try {
            String stored = Files.readString(f, StandardCharsets.UTF_8);
            if (!stored.equals(options.trajectoryKey())) {
                throw new PretrainException("cannot resume from " + dir + ": it was trained with [" + stored
                        + "] but this run has [" + options.trajectoryKey() + "]; use the same settings, or start over "
                        + "without resuming (which deletes " + options.checkpointDir() + ")");
            }
        } catch (IOException e) {
            throw new PretrainException("cannot resume from " + dir + ": " + f + " unreadable: " + e.getMessage(), e);
        }
    }

    private static void clearCheckpoints(CheckpointStore store) {
        List<TrainingCheckpoint> old = store.list();
        if (!old.isEmpty()) {
            LOG.info("not resuming: deleting {} old checkpoint(s) in {}", old.size(), store.root());
        }
        for (TrainingCheckpoint c : old) {
            try {
                ShapesArtifacts.deleteRecursively(c.dir());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete old checkpoint " + c.dir(), e);
            }
        }
    }

    private static Path writeOutput(ShapesBaseModel model, PretrainOptions options, double loss) {
        Path staged = ShapesArtifacts.stagingDir(options.outputDir());
        model.save(staged);
        ObjectNode info = JSON.createObjectNode();
        info.put("command", "alignloop pretrain base");
        info.put("steps", options.steps());
        info.put("batch_size", options.batchSize());
        info.put("learning_rate", options.learningRate());
        info.put("warmup_steps", options.warmupSteps());
        info.put("lr_schedule", "cosine");
        info.put("weight_decay", options.weightDecay());
        info.put("grad_clip", options.gradClip());
        info.put("caption_dropout", options.captionDropout());
        info.put("caption_noise", options.captionNoise().toString());
        info.put("seed", options.seed());
        info.put("threads", options.threads());
        info.put("final_loss_smoothed", Math.round(loss * 1e5) / 1e5);
        info.put("unet_parameters", model.unet().parameterCount());
        info.put("text_encoder_parameters", model.textEncoder().parameterCount());
        try {
            JSON.writeValue(staged.resolve(OPTIONS_FILE).toFile(), info);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + staged.resolve(OPTIONS_FILE), e);
        }
        Path out = ShapesArtifacts.publish(staged, options.outputDir());
        LOG.info("base model written to {}", out);
        return out;
    }
}
