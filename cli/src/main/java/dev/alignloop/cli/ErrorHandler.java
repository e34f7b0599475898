package dev.alignloop.cli;

import picocli.CommandLine;

/**
 * Prints a one-line error naming what failed instead of a stack trace (set {@code ALIGNLOOP_DEBUG=1}
 * for the trace). Exit code 1 for failures; usage errors keep picocli's code 2.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
        String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        cl.getErr().println("alignloop " + cl.getCommandName() + ": " + msg);
        if (System.getenv("ALIGNLOOP_DEBUG") != null) {
            ex.printStackTrace(cl.getErr());
        } else {
            cl.getErr().println("(set ALIGNLOOP_DEBUG=1 for the stack trace)");
        }
        return 1;
    }
}
