package dev.alignloop.shapes.judge;

import dev.alignloop.shapes.prompt.Background;
import dev.alignloop.shapes.prompt.SceneSpec;
import java.util.List;

/**
 * The judge's verdict on one (image, prompt) pair.
 *
 * @param spec               the prompt, parsed
 * @param detections         all objects found, largest first
 * @param matched            for each prompt object instance (groups in order, each expanded to
 *                           its count), the index into {@code detections} it was matched to, or -1
 * @param checks             every attribute check, in a fixed order (per group: colour, shape,
 *                           size, count; then relation, background)
 * @param detectedBackground the background class found
 */
public record JudgeResult(SceneSpec spec, List<Detection> detections, List<Integer> matched, List<Check> checks,
                          Background detectedBackground) {

    public JudgeResult {
        detections = List.copyOf(detections);
        matched = List.copyOf(matched);
        checks = List.copyOf(checks);
    }

    /** Fraction of satisfied checks, in [0, 1] (1 when there are no checks, which cannot happen). */
    public double score() {
        if (checks.isEmpty()) {
            return 1;
        }
        return (double) passedCount() / checks.size();
    }

    /** Whether every check passed. */
    public boolean allCorrect() {
        return passedCount() == checks.size();
    }

    /** Number of satisfied checks. */
    public int passedCount() {
        return (int) checks.stream().filter(Check::passed).count();
    }

    /** The checks of one kind. */
    public List<Check> checks(CheckKind kind) {
        return checks.stream().filter(c -> c.kind() == kind).toList();
    }

    /** A one-line summary: score and failed checks. */
    public String summary() {
        StringBuilder sb = new StringBuilder(String.format("%.3f \"%s\"", score(), spec.caption()));
        for (Check c : checks) {
            if (!c.passed()) {
                sb.append(" | ").append(c.kind()).append(c.group() >= 0 ? "[" + c.group() + "]" : "")
                        .append(": ").append(c.detail());
            }
        }
        return sb.toString();
    }
}
