package dev.alignloop.diffusion.pretrained;

import java.nio.file.Path;
import java.util.List;

/**
 * A pipeline or component folder does not have the diffusers layout. The message lists every
 * problem found (not just the first) and what was expected.
 */
public class DiffusersFolderException extends RuntimeException {
    private final Path folder;
    private final List<String> problems;

    /** All {@code problems} found in {@code folder}. */
    public DiffusersFolderException(Path folder, List<String> problems) {
        super(message(folder, problems));
        this.folder = folder;
        this.problems = List.copyOf(problems);
    }

    private static String message(Path folder, List<String> problems) {
        StringBuilder sb = new StringBuilder("Not a valid diffusers folder: ").append(folder).append(" (")
                .append(problems.size()).append(problems.size() == 1 ? " problem)" : " problems)");
        problems.forEach(p -> sb.append("\n  - ").append(p));
        return sb.toString();
    }

    /** The folder at fault. */
    public Path folder() {
        return folder;
    }

    /** One line per problem. */
    public List<String> problems() {
        return problems;
    }
}
