package dev.alignloop.diffusion.nn;

import java.util.List;

/**
 * A checkpoint does not fit a module: missing or unexpected weights, shape mismatches, or an
 * unreadable model folder. The message names every tensor at fault.
 */
public class ModelLoadException extends RuntimeException {
    private final List<String> missing;
    private final List<String> unexpected;
    private final List<String> mismatched;

    /** A load failure that is not about individual keys (e.g. unreadable file). */
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
        this.missing = List.of();
        this.unexpected = List.of();
        this.mismatched = List.of();
    }

    /** A load failure that is not about individual keys. */
    public ModelLoadException(String message) {
        this(message, null);
    }

    /**
     * A state-dict mismatch.
     *
     * @param source what was loaded (file or description), for the message
     * @param missing parameter names the module has but the state dict lacks
     * @param unexpected names in the state dict the module does not have
     * @param mismatched "name: expected [..] but got [..]" entries
     */
    public ModelLoadException(String source, List<String> missing, List<String> unexpected, List<String> mismatched) {
        super(message(source, missing, unexpected, mismatched));
        this.missing = List.copyOf(missing);
        this.unexpected = List.copyOf(unexpected);
        this.mismatched = List.copyOf(mismatched);
    }

    private static String message(String source, List<String> missing, List<String> unexpected, List<String> mismatched) {
        StringBuilder sb = new StringBuilder("Error(s) loading state dict from ").append(source).append(':');
        if (!missing.isEmpty()) {
            sb.append("\n  missing keys (").append(missing.size()).append("): ").append(missing);
        }
        if (!unexpected.isEmpty()) {
            sb.append("\n  unexpected keys (").append(unexpected.size()).append("): ").append(unexpected);
        }
        if (!mismatched.isEmpty()) {
            sb.append("\n  size mismatches (").append(mismatched.size()).append("): ").append(mismatched);
        }
        return sb.toString();
    }

    /** Parameter names the module has but the state dict lacked. */
    public List<String> missing() {
        return missing;
    }

    /** State-dict names the module does not have. */
    public List<String> unexpected() {
        return unexpected;
    }

    /** Shape mismatches, "name: expected (..) but got (..)". */
    public List<String> mismatched() {
        return mismatched;
    }
}
