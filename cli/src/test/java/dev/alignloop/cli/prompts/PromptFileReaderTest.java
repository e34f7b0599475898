package dev.alignloop.cli.prompts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.schemas.avro.PromptRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptFileReaderTest {
    @TempDir
    Path dir;
    private final Instant now = Instant.parse("2026-11-25T00:00:00Z");

    @Test
    void plainLinesSkipBlanksAndComments() throws IOException {
        Path f = Files.writeString(dir.resolve("p.txt"), "# header\na red circle\n\n  two blue squares  \n");
        List<PromptRequest> got = PromptFileReader.read(f, "r1", now);
        assertEquals(2, got.size());
        assertEquals("a red circle", got.get(0).getPrompt());
        assertEquals("two blue squares", got.get(1).getPrompt());
        assertEquals("p.txt-2-r1", got.get(0).getId());
        assertEquals("file", got.get(0).getSource());
        assertNull(got.get(0).getSeed());
    }

    @Test
    void jsonLinesCarryIdsSeedsAndNegatives() throws IOException {
        Path f = Files.writeString(dir.resolve("p.jsonl"),
                "{\"prompt\":\"a red circle\",\"id\":\"x1\",\"seed\":7,\"negative_prompt\":\"blurry\"}\n{\"prompt\":\"b\"}\n");
        List<PromptRequest> got = PromptFileReader.read(f, "r", now);
        assertEquals("x1", got.get(0).getId());
        assertEquals(7L, got.get(0).getSeed());
        assertEquals("blurry", got.get(0).getNegativePrompt());
        assertEquals("p.jsonl-2-r", got.get(1).getId());
    }

    @Test
    void errorsNameFileAndLine() throws IOException {
        assertError("p.jsonl", "{\"prompt\":\"ok\"}\n{\"promt\":\"x\"}\n", "p.jsonl:2: unknown key 'promt'");
        assertError("p.jsonl", "{\"prompt\": 3}\n", "p.jsonl:1: 'prompt' must be a string");
        assertError("p.jsonl", "not json\n", "p.jsonl:1: not a JSON object");
        assertError("p.jsonl", "{\"prompt\":\"  \"}\n", "p.jsonl:1: empty prompt");
        assertError("p.txt", "a".repeat(PromptFileReader.MAX_PROMPT_CHARS + 1), "p.txt:1: prompt is 2001 characters");
        assertError("p.txt", "\n# only comments\n", "no prompts");
        Path bad = dir.resolve("bad.txt");
        Files.write(bad, new byte[] {'a', (byte) 0xff, 'b'});
        var e = assertThrows(IllegalArgumentException.class, () -> PromptFileReader.read(bad, "r", now));
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    }

    private void assertError(String name, String content, String expected) throws IOException {
        Path f = Files.writeString(dir.resolve(name), content);
        var e = assertThrows(IllegalArgumentException.class, () -> PromptFileReader.read(f, "r", now));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
