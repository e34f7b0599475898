package dev.alignloop.cli.prompts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.cli.AlignLoopCommand;
import dev.alignloop.shapes.prompt.PromptGrammar;
import dev.alignloop.shapes.prompt.PromptSplit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptsExportCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesBothSplitsWithoutOverlap() throws Exception {
        assertEquals(0, AlignLoopCommand.commandLine().execute("prompts", "export", "--dir", tmp.toString()));
        List<String> train = Files.readAllLines(tmp.resolve("train.txt"));
        List<String> heldOut = Files.readAllLines(tmp.resolve("heldout.txt"));
        assertEquals(PromptSplit.scenes(PromptSplit.Part.TRAIN).size(), train.size());
        assertEquals(PromptSplit.scenes(PromptSplit.Part.HELD_OUT).size(), heldOut.size());
        Set<String> overlap = new HashSet<>(train);
        overlap.retainAll(heldOut);
        assertEquals(Set.of(), overlap, "held-out prompts never appear in training");
    }

    @Test
    void samplesASeededHeldOutFile() throws Exception {
        Path out = tmp.resolve("eval.txt");
        assertEquals(0, AlignLoopCommand.commandLine().execute("prompts", "export", "--count", "20", "--split", "HELD_OUT",
                "--seed", "3", "--output", out.toString()));
        List<String> lines = Files.readAllLines(out);
        assertEquals(20, lines.size());
        for (String l : lines) {
            assertTrue(PromptSplit.isHeldOut(PromptGrammar.parse(l)), "held-out: " + l);
        }
        Path again = tmp.resolve("again.txt");
        AlignLoopCommand.commandLine().execute("prompts", "export", "--count", "20", "--split", "HELD_OUT", "--seed", "3",
                "--output", again.toString());
        assertEquals(lines, Files.readAllLines(again), "same seed, same prompts");
    }
}
