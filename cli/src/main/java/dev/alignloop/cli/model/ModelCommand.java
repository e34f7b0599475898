package dev.alignloop.cli.model;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code alignloop model ...}: tools that run one model component on tensors from a safetensors
 * file and write the outputs to another. They are the contract the diffusers parity cases are
 * checked with (parity/README.md), and handy for debugging a user's model folder.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Run model components on safetensors inputs (parity and debugging tools).",
        subcommands = {EvalUnetCommand.class, EvalTextEncoderCommand.class, EvalVaeCommand.class, SchedulerTraceCommand.class, SchedulerNoiseCommand.class, ClipPreprocessCommand.class, DpoStepCommand.class, VerifyCommand.class})
public final class ModelCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
