package dev.alignloop.cli.pretrain;

import picocli.CommandLine.Command;

/** {@code alignloop pretrain}: reproduces the shipped models of the shapes world. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = {"Train the shapes world's models from rendered scenes, deterministically for a seed: "
                + "'base' (the tiny text-to-image diffusion model in models/shapes-base) and 'reward' (the tiny "
                + "CLIP-style reward model, exported to ONNX, in models/shapes-reward). Progress is printed; an "
                + "interrupted 'base' run resumes from its last checkpoint."},
        subcommands = {PretrainBaseCommand.class, PretrainRewardCommand.class})
public final class PretrainCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
