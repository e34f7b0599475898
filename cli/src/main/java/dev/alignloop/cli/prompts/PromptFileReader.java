package dev.alignloop.cli.prompts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alignloop.schemas.avro.PromptRequest;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a prompt file into {@link PromptRequest}s: one prompt per line, or JSON Lines when the
 * file ends in {@code .jsonl} ({@code {"prompt": "...", "id": "...", "negative_prompt": "...",
 * "seed": 7}}; only {@code prompt} is required). Blank lines and lines starting with {@code #}
 * are skipped. Errors name {@code file:line}.
 *
 * <p>Ids default to {@code <file name>-<line>-<run id>}: stable within one send (so a retried
 * send of the same batch keys identically) and distinct between sends.
 */
public final class PromptFileReader {
    /** Longest prompt accepted at the boundary; model tokenizers truncate far earlier. */
    public static final int MAX_PROMPT_CHARS = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> JSONL_KEYS = Set.of("prompt", "id", "negative_prompt", "seed");

    private PromptFileReader() {
    }

    public static List<PromptRequest> read(Path file, String runId, Instant now) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not valid UTF-8 text");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
        boolean jsonl = file.getFileName().toString().endsWith(".jsonl");
        String base = file.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        List<PromptRequest> out = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + (i + 1);
            PromptRequest.Builder b = PromptRequest.newBuilder()
                    .setId(base + "-" + (i + 1) + "-" + runId).setSource("file").setCreatedAt(now)
                    .setNegativePrompt(null).setSeed(null);
            if (jsonl) {
                fromJson(line, where, b);
            } else {
                b.setPrompt(line);
            }
            check(b.getPrompt(), where);
            out.add(b.build());
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + ": no prompts (empty file, or only blank/# lines)");
        }
        return out;
    }

    private static void fromJson(String line, String where, PromptRequest.Builder b) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not a JSON object: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + ": expected a JSON object");
        }
        node.fieldNames().forEachRemaining(k -> {
            if (!JSONL_KEYS.contains(k)) {
                throw new IllegalArgumentException(where + ": unknown key '" + k + "' (allowed: " + JSONL_KEYS + ")");
            }
        });
        JsonNode prompt = node.get("prompt");
        if (prompt == null || !prompt.isTextual()) {
            throw new IllegalArgumentException(where + ": 'prompt' must be a string");
        }
        b.setPrompt(prompt.asText());
        if (node.hasNonNull("id")) {
            b.setId(node.get("id").asText());
        }
        if (node.hasNonNull("negative_prompt")) {
            b.setNegativePrompt(node.get("negative_prompt").asText());
        }
        if (node.hasNonNull("seed")) {
            if (!node.get("seed").canConvertToLong()) {
                throw new IllegalArgumentException(where + ": 'seed' must be an integer");
            }
            b.setSeed(node.get("seed").asLong());
        }
    }

    private static void check(String prompt, String where) {
        if (prompt.isBlank()) {
            throw new IllegalArgumentException(where + ": empty prompt");
        }
        if (prompt.length() > MAX_PROMPT_CHARS) {
            throw new IllegalArgumentException(where + ": prompt is " + prompt.length()
                    + " characters; the limit is " + MAX_PROMPT_CHARS);
        }
    }
}
