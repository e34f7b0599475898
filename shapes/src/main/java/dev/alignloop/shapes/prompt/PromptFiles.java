package dev.alignloop.shapes.prompt;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Prompt files: UTF-8 text, one caption per line. Blank lines and lines starting with {@code #}
 * are ignored on reading, so files can carry a comment header.
 */
public final class PromptFiles {

    private PromptFiles() {
    }

    /** Writes the canonical caption of each scene, one per line, {@code \n}-terminated. */
    public static void write(Path file, Collection<SceneSpec> scenes) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (SceneSpec s : scenes) {
                w.write(PromptGrammar.format(s));
                w.write('\n');
            }
        }
    }

    /**
     * Reads and parses a prompt file.
     *
     * @throws PromptParseException whose message starts with {@code file:line:} for the first bad line
     */
    public static List<SceneSpec> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<SceneSpec> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                out.add(PromptGrammar.parse(line));
            } catch (PromptParseException e) {
                throw new PromptParseException(file + ":" + (i + 1) + ": " + e.getMessage(),
                        e.prompt(), e.word().orElse(null), e.position());
            }
        }
        return out;
    }
}
