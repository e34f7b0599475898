package dev.alignloop.cli.pretrain;

import dev.alignloop.shapes.pretrain.BasePretrainer;
import dev.alignloop.shapes.pretrain.PretrainOptions;
import dev.alignloop.shapes.pretrain.PretrainProgress;
import dev.alignloop.shapes.pretrain.PretrainResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code alignloop pretrain base}: the tiny pixel-space diffusion model, trained on noisy captions. */
@Command(name = "base", mixinStandardHelpOptions = true,
        description = {"Pretrain the shapes base model (UNet + text encoder, diffusers layout) on rendered scenes "
                + "with deliberately noisy captions, then write it with CHECKSUMS.sha256 and pretrain.json. "
                + "The shipped model took the defaults (about 20 minutes on 2 quiet cores)."})
final class PretrainBaseCommand implements Callable<Integer> {
    private static final PretrainOptions DEFAULTS = PretrainOptions.defaults(Path.of("models", "shapes-base"));

    @Option(names = "--output", defaultValue = "models/shapes-base",
            description = "Diffusers folder to write (replaced atomically). Default: ${DEFAULT-VALUE}.")
    Path output;

    @Option(names = "--checkpoint-dir", defaultValue = ".alignloop/pretrain/base",
            description = "Periodic checkpoints, resumed from unless --fresh. Default: ${DEFAULT-VALUE}.")
    Path checkpointDir;

    @Option(names = "--steps", description = "Optimizer steps. Default: " + PretrainOptions.DEFAULT_STEPS + ".")
    Integer steps;

    @Option(names = "--batch-size", description = "Images per step. Default: " + PretrainOptions.DEFAULT_BATCH + ".")
    Integer batchSize;

    @Option(names = "--lr", description = "Peak AdamW learning rate (warm-up, then cosine to 0). Default: 2e-3.")
    Double learningRate;

    @Option(names = "--seed", description = "Seeds weights, scenes, captions and noise. Default: 0.")
    Long seed;

    @Option(names = "--threads", description = "PyTorch threads. Default: 2.")
    Integer threads;

    @Option(names = "--fresh", description = "Ignore existing checkpoints and start from step 0.")
    boolean fresh;

    @Override
    public Integer call() {
        PretrainOptions o = DEFAULTS.withDirs(output, checkpointDir).withResume(!fresh);
        if (steps != null) {
            o = o.withSteps(steps);
        }
        if (batchSize != null) {
            o = o.withBatchSize(batchSize);
        }
        if (learningRate != null) {
            o = o.withLearningRate(learningRate);
        }
        if (seed != null) {
            o = o.withSeed(seed);
        }
        if (threads != null) {
            o = o.withThreads(threads);
        }
        System.out.println("pretrain base: " + o);
        PretrainResult r = BasePretrainer.run(o, System.out::println);
        System.out.printf("done: %s, %d steps (resumed from %d), final loss %.4f, %s%n", r.outputDir(), r.steps(),
                r.resumedFrom(), r.finalLoss(), PretrainProgress.format(r.elapsed()));
        return 0;
    }
}
