package dev.alignloop.cli.prompts;

import dev.alignloop.shapes.prompt.PromptSampler;
import dev.alignloop.shapes.prompt.PromptSplit;
import dev.alignloop.shapes.prompt.SceneSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code alignloop prompts export}: the shapes grammar's prompts as files, for the loop or an eval. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write prompts of the shapes grammar, one per line. Without --count: every canonical caption "
                + "of both splits into DIR/train.txt and DIR/heldout.txt (held-out combinations never appear in "
                + "training). With --count: that many prompts sampled from --split with --seed (as the demo and the "
                + "eval gate sample them) into --output, ready for 'alignloop prompts send' or 'alignloop eval --prompts'."})
final class PromptsExportCommand implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = ".alignloop/prompts", description = "Folder for train.txt and heldout.txt. Default: ${DEFAULT-VALUE}.")
    Path dir;

    @Option(names = "--count", description = "Sample this many prompts instead of listing every caption.")
    Integer count;

    @Option(names = "--split", defaultValue = "TRAIN", description = "TRAIN or HELD_OUT (with --count). Default: ${DEFAULT-VALUE}.")
    PromptSplit.Part split;

    @Option(names = "--seed", defaultValue = "7", description = "Sampling seed (with --count). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--output", description = "Output file (with --count). Default: DIR/<split>-<count>-seed<seed>.txt.")
    Path output;

    @Override
    public Integer call() throws IOException {
        if (count == null) {
            List<Path> files = PromptSplit.writePromptFiles(dir);
            System.out.printf("%s: %d prompts%n%s: %d prompts%n", files.get(0), PromptSplit.scenes(PromptSplit.Part.TRAIN).size(),
                    files.get(1), PromptSplit.scenes(PromptSplit.Part.HELD_OUT).size());
            return 0;
        }
        if (count < 1) {
            throw new IllegalArgumentException("--count must be at least 1, got " + count);
        }
        Path out = output != null ? output
                : dir.resolve(split.name().toLowerCase(java.util.Locale.ROOT) + "-" + count + "-seed" + seed + ".txt");
        List<String> lines = new PromptSampler(split).sample(count, seed).stream().map(SceneSpec::caption).toList();
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        Files.write(out, lines, StandardCharsets.UTF_8);
        System.out.printf("%s: %d %s prompts (seed %d)%n", out, lines.size(), split, seed);
        return 0;
    }
}
