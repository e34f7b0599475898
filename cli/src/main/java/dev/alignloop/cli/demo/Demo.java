package dev.alignloop.cli.demo;

import java.io.PrintStream;

/** Entry point of the demo for the command line. */
public final class Demo {
    private Demo() {
    }

    public static int run(DemoOptions options, PrintStream out) throws Exception {
        return new DemoRunner(options, out).run();
    }
}
