package dev.alignloop.eval;

import dev.alignloop.shapes.prompt.PromptSampler;
import dev.alignloop.shapes.prompt.PromptSplit;
import dev.alignloop.shapes.prompt.SceneSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where the eval prompts come from. Every source is deterministic, so two evaluations of
 * different checkpoints see exactly the same prompts.
 */
public sealed interface PromptSource {

    /** @return the prompts, in a fixed order */
    List<String> resolve();

    /** @return a one-line description for reports */
    String describe();

    /**
     * @param count how many prompts
     * @param seed sampling seed
     * @return a seeded sample of the shapes world's held-out prompts
     */
    static PromptSource heldOut(int count, long seed) {
        return new HeldOut(count, seed);
    }

    /**
     * @param file a text file
     * @return the prompts of the file
     */
    static PromptSource file(Path file) {
        return new FromFile(file);
    }

    /**
     * @param prompts the prompts
     * @return exactly these prompts
     */
    static PromptSource of(List<String> prompts) {
        return new Listed(prompts);
    }

    /**
     * A {@link PromptSampler} sample of {@link PromptSplit.Part#HELD_OUT}: prompts whose attribute
     * combinations training never showed. Sampled with replacement, so a prompt may repeat (at 64
     * of ~8,000 rarely); a repeat is a separate pair with its own seeds.
     *
     * @param count number of prompts, 1..100,000
     * @param seed the sampler's seed; the same seed gives the same prompts
     */
    record HeldOut(int count, long seed) implements PromptSource {
        /** Validates the count. */
        public HeldOut {
            if (count < 1 || count > 100_000) {
                throw new IllegalArgumentException("held-out prompt count must be in 1..100000, got " + count);
            }
        }

        @Override
        public List<String> resolve() {
            return new PromptSampler(PromptSplit.Part.HELD_OUT).sample(count, seed).stream()
                    .map(SceneSpec::caption).toList();
        }

        @Override
        public String describe() {
            return count + " held-out prompts (seed " + seed + ")";
        }
    }

    /**
     * A UTF-8 text file, one prompt per line; blank lines and lines starting with {@code #} are
     * skipped (the format of {@code shapes}' prompt files).
     *
     * @param file the file
     */
    record FromFile(Path file) implements PromptSource {
        /** Checks the path is given. */
        public FromFile {
            Objects.requireNonNull(file, "file");
        }

        /**
         * @throws UncheckedIOException naming the file if it cannot be read
         * @throws IllegalArgumentException if it holds no prompt
         */
        @Override
        public List<String> resolve() {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read prompt file " + file + ": " + e.getMessage(), e);
            }
            List<String> prompts = new ArrayList<>();
            for (String line : lines) {
                String p = line.strip();
                if (!p.isEmpty() && !p.startsWith("#")) {
                    prompts.add(p);
                }
            }
            if (prompts.isEmpty()) {
                throw new IllegalArgumentException("prompt file " + file + " holds no prompt (blank and # lines are"
                        + " skipped)");
            }
            return List.copyOf(prompts);
        }

        @Override
        public String describe() {
            return "prompts of " + file;
        }
    }

    /**
     * An explicit list.
     *
     * @param prompts at least one prompt, none blank
     */
    record Listed(List<String> prompts) implements PromptSource {
        /** Validates and copies the list. */
        public Listed {
            prompts = List.copyOf(Objects.requireNonNull(prompts, "prompts"));
            if (prompts.isEmpty()) {
                throw new IllegalArgumentException("at least one prompt is needed");
            }
            for (int i = 0; i < prompts.size(); i++) {
                if (prompts.get(i).isBlank()) {
                    throw new IllegalArgumentException("prompt " + i + " is blank");
                }
            }
        }

        @Override
        public List<String> resolve() {
            return prompts;
        }

        @Override
        public String describe() {
            return prompts.size() + " listed prompts";
        }
    }
}
