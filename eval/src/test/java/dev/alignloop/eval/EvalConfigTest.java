package dev.alignloop.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.shapes.prompt.PromptGrammar;
import dev.alignloop.shapes.prompt.PromptSplit;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalConfigTest {

    @Test
    void defaultsSampleSixtyFourHeldOutPromptsDeterministically() {
        EvalConfig c = EvalConfig.defaults();
        List<String> prompts = c.prompts().resolve();
        assertEquals(64, prompts.size());
        assertEquals(prompts, EvalConfig.defaults().prompts().resolve());
        for (String p : prompts) {
            assertEquals(PromptSplit.Part.HELD_OUT, PromptSplit.partOf(PromptGrammar.parse(p)), p);
        }
        assertNotEquals(prompts, PromptSource.heldOut(64, 1).resolve());
        assertEquals(new SamplerSettings(20, 3.0, null), c.sampler());
        assertEquals(GateRule.defaults(), c.rule());
        assertEquals(c, c.toBuilder().build());
    }

    @Test
    void seedsAreFixedAndDistinctPerPromptAndImage() {
        EvalConfig c = EvalConfig.builder().optSeedsPerPrompt(2).optImageSeed(100).build();
        assertEquals(100, c.seedFor(0, 0));
        assertEquals(101, c.seedFor(0, 1));
        assertEquals(102, c.seedFor(1, 0));
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 64; i++) {
            for (int k = 0; k < 2; k++) {
                assertTrue(seen.add(c.seedFor(i, k)));
            }
        }
    }

    @Test
    void invalidSettingsNameTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EvalConfig.builder().optSeedsPerPrompt(0)
                .build()).getMessage().startsWith("seedsPerPrompt"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EvalConfig.builder().optBatchSize(0)
                .build()).getMessage().startsWith("batchSize"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EvalConfig.builder()
                .optRewardTieTolerance(-1).build()).getMessage().startsWith("rewardTieTolerance"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SamplerSettings(0, 3, null))
                .getMessage().startsWith("steps"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SamplerSettings(10, Double.NaN, null))
                .getMessage().startsWith("guidance"));
        assertThrows(IllegalArgumentException.class, () -> PromptSource.heldOut(0, 1));
        assertThrows(IllegalArgumentException.class, () -> PromptSource.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> PromptSource.of(List.of("a red circle", " ")));
    }

    @Test
    void promptFilesSkipBlankAndCommentLines(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("prompts.txt");
        Files.writeString(f, "# eval prompts\n\na red circle\n  two blue squares  \n");
        assertEquals(List.of("a red circle", "two blue squares"), PromptSource.file(f).resolve());
        Files.writeString(f, "# nothing\n\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PromptSource.file(f).resolve()).getMessage()
                .contains(f.toString()));
        assertTrue(assertThrows(UncheckedIOException.class, () -> PromptSource.file(dir.resolve("nope")).resolve())
                .getMessage().contains("nope"));
    }
}
