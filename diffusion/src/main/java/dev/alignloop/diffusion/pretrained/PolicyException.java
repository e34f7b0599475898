package dev.alignloop.diffusion.pretrained;

import java.nio.file.Path;
import java.util.List;

/**
 * A diffusers folder cannot be loaded as a {@link DiffusionPolicy}: its components do not fit
 * together (a UNet whose cross-attention width is not the text encoder's), it is a kind of
 * pipeline not implemented here (SDXL's two text encoders), or a component failed to load. The
 * message lists every problem found, not just the first. Missing files are reported earlier by
 * {@link DiffusersFolderException}.
 */
public class PolicyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path folder;
    private final List<String> problems;

    /**
     * @param folder the pipeline folder at fault
     * @param problems one line per problem
     */
    public PolicyException(Path folder, List<String> problems) {
        super(message(folder, problems));
        this.folder = folder;
        this.problems = List.copyOf(problems);
    }

    /**
     * @param folder the pipeline folder at fault
     * @param problem what went wrong
     * @param cause the underlying error
     */
    public PolicyException(Path folder, String problem, Throwable cause) {
        super(message(folder, List.of(problem)), cause);
        this.folder = folder;
        this.problems = List.of(problem);
    }

    private static String message(Path folder, List<String> problems) {
        StringBuilder sb = new StringBuilder("Cannot load a text-to-image policy from ").append(folder).append(" (")
                .append(problems.size()).append(problems.size() == 1 ? " problem)" : " problems)");
        problems.forEach(p -> sb.append("\n  - ").append(p));
        return sb.toString();
    }

    /** @return the pipeline folder at fault */
    public Path folder() {
        return folder;
    }

    /** @return one line per problem */
    public List<String> problems() {
        return problems;
    }
}
