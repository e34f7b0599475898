package dev.alignloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AlignLoopCommandTest {

    private record Run(int code, String out, String err) { }

    private static Run run(String... args) {
        CommandLine cl = AlignLoopCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void everyCommandHasHelp() {
        List<List<String>> paths = new java.util.ArrayList<>();
        collect(AlignLoopCommand.commandLine(), new java.util.ArrayList<>(), paths);
        assertTrue(paths.contains(List.of("broker")) && paths.contains(List.of("demo")), paths.toString());
        for (List<String> path : paths) {
            List<String> args = new java.util.ArrayList<>(path);
            args.add("--help");
            Run r = run(args.toArray(String[]::new));
            assertEquals(0, r.code(), "--help of " + path);
            assertTrue(r.out().contains("Usage: alignloop"), "usage of " + path + ": " + r.out());
        }
    }

    private static void collect(CommandLine cl, List<String> prefix, List<List<String>> out) {
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            List<String> p = new java.util.ArrayList<>(prefix);
            p.add(e.getKey());
            out.add(p);
            collect(e.getValue(), p, out);
        }
    }

    @Test
    void unknownOptionIsAUsageError() {
        Run r = run("broker", "--prot", "1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--prot"), r.err());
    }
}
