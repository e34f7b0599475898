package dev.alignloop.shapes.pretrain;

import dev.alignloop.shapes.rewardmodel.RewardOptions;
import dev.alignloop.shapes.rewardmodel.RewardResult;
import dev.alignloop.shapes.rewardmodel.RewardTrainer;
import java.nio.file.Path;

/**
 * A plain entry point until {@code alignloop pretrain} is wired:
 * {@code java -cp ... dev.alignloop.shapes.pretrain.PretrainMain base|reward [outputDir [steps [threads]]]}
 * with the shipped defaults for everything else; progress goes to standard output.
 */
public final class PretrainMain {
    private PretrainMain() {
    }

    /** Runs one pretraining; exits with status 2 on bad arguments. */
    public static void main(String[] args) {
        if (args.length < 1 || !(args[0].equals("base") || args[0].equals("reward"))) {
            System.err.println("usage: PretrainMain base|reward [outputDir [steps [threads]]]");
            System.exit(2);
        }
        boolean base = args[0].equals("base");
        Path out = Path.of(args.length > 1 ? args[1] : base ? "models/shapes-base" : "models/shapes-reward");
        if (base) {
            PretrainOptions o = PretrainOptions.defaults(out);
            if (args.length > 2) {
                o = o.withSteps(Integer.parseInt(args[2]));
            }
            if (args.length > 3) {
                o = o.withThreads(Integer.parseInt(args[3]));
            }
            System.out.println("pretrain base: " + o);
            PretrainResult r = BasePretrainer.run(o, p -> System.out.println(p));
            System.out.printf("done: %s, %d steps, final loss %.4f, %s%n", r.outputDir(), r.steps(), r.finalLoss(),
                    PretrainProgress.format(r.elapsed()));
        } else {
            RewardOptions o = RewardOptions.defaults(out);
            if (args.length > 2) {
                o = o.withSteps(Integer.parseInt(args[2]));
            }
            if (args.length > 3) {
                o = o.withThreads(Integer.parseInt(args[3]));
            }
            System.out.println("pretrain reward: " + o);
            RewardResult r = RewardTrainer.run(o, p -> System.out.println(p));
            System.out.printf("done: %s, %d steps, final loss %.4f, %s%n  held-out: %s%n  train: %s%n  max |ONNX - DJL| %.2e%n",
                    r.outputDir(), r.steps(), r.finalLoss(), PretrainProgress.format(r.elapsed()), r.heldOut(), r.train(),
                    r.maxParityError());
        }
    }
}
