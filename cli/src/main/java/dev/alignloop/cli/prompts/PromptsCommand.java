package dev.alignloop.cli.prompts;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code alignloop prompts ...}: feed prompts to the loop. */
@Command(name = "prompts", mixinStandardHelpOptions = true,
        description = "Feed prompts to the loop (topic alignloop.prompts).",
        subcommands = {PromptsSendCommand.class, PromptsExportCommand.class})
public final class PromptsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
