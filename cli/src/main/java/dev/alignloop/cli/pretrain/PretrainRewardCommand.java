package dev.alignloop.cli.pretrain;

import dev.alignloop.shapes.rewardmodel.RewardOptions;
import dev.alignloop.shapes.rewardmodel.RewardResult;
import dev.alignloop.shapes.rewardmodel.RewardTrainer;
import dev.alignloop.shapes.pretrain.PretrainProgress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code alignloop pretrain reward}: the tiny CLIP-style reward model, exported to ONNX. */
@Command(name = "reward", mixinStandardHelpOptions = true,
        description = {"Train the shapes reward model (a CLIP-style dual encoder, symmetric InfoNCE with hard "
                + "negatives) in DJL, export it to ONNX (model.onnx + reward.json + tokenizer.json), check that "
                + "ONNX Runtime and DJL agree, and report held-out accuracy per kind of hard negative."})
final class PretrainRewardCommand implements Callable<Integer> {
    @Option(names = "--output", defaultValue = "models/shapes-reward",
            description = "Folder to write. Default: ${DEFAULT-VALUE}.")
    Path output;

    @Option(names = "--steps", description = "Optimizer steps. Default: 3000.")
    Integer steps;

    @Option(names = "--lr", description = "Peak AdamW learning rate. Default: 3e-3.")
    Double learningRate;

    @Option(names = "--seed", description = "Seeds weights and data. Default: 0.")
    Long seed;

    @Option(names = "--threads", description = "PyTorch threads. Default: 2.")
    Integer threads;

    @Override
    public Integer call() {
        RewardOptions o = RewardOptions.defaults(output);
        if (steps != null) {
            o = o.withSteps(steps);
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
        System.out.println("pretrain reward: " + o);
        RewardResult r = RewardTrainer.run(o, System.out::println);
        System.out.printf("done: %s, %d steps, final loss %.4f, %s%n  held-out: %s%n  train: %s%n  max |ONNX - DJL| %.2e%n",
                r.outputDir(), r.steps(), r.finalLoss(), PretrainProgress.format(r.elapsed()), r.heldOut(), r.train(),
                r.maxParityError());
        return 0;
    }
}
