package dev.alignloop.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code alignloop} command: one entry point for the demo, the broker and the model tools. */
@Command(name = "alignloop",
        mixinStandardHelpOptions = true,
        versionProvider = AlignLoopCommand.Version.class,
        description = "Continuous Diffusion-DPO alignment of text-to-image models with AI feedback.",
        subcommands = {DemoCommand.class, BrokerCommand.class, MonitorCommand.class, EvalCommand.class, dev.alignloop.cli.prompts.PromptsCommand.class,
                dev.alignloop.cli.model.ModelCommand.class, dev.alignloop.cli.pretrain.PretrainCommand.class,
                CommandLine.HelpCommand.class})
public final class AlignLoopCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Builds the command line with the project's exception handling. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new AlignLoopCommand());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        return cl;
    }

    public static void main(String[] args) {
        // The CLI has its own logging config: the dashboard's jar on the classpath brings a
        // logback.xml too, and logback would otherwise warn about the duplicate.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "alignloop-cli-logback.xml");
        }
        System.exit(commandLine().execute(args));
    }

    /** Version from the jar manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = AlignLoopCommand.class.getPackage().getImplementationVersion();
            return new String[] {"alignloop " + (v == null ? "dev" : v)};
        }
    }
}
