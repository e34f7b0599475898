package dev.alignloop.diffusion.checkpoint;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The non-tensor state of a training run at a checkpoint ({@code trainer_state.json}).
 *
 * @param version this checkpoint's version (its folder name)
 * @param parentVersion the checkpoint it was trained from, or {@code null} for the base model
 * @param step optimizer steps taken since the start of the run
 * @param lrStep scheduler steps taken ({@link dev.alignloop.diffusion.optim.LrSchedule} position)
 * @param rng random-stream state
 * @param consumedOffsets Kafka positions whose records are all in these weights
 * @param metrics last logged metrics (loss, implicit_acc, ...)
 * @param createdAt when the checkpoint was written
 */
public record TrainerState(
        String version,
        String parentVersion,
        long step,
        long lrStep,
        RngState rng,
        List<TopicOffset> consumedOffsets,
        Map<String, Double> metrics,
        Instant createdAt) {

    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public TrainerState {
        requireVersion("version", version);
        if (parentVersion != null) {
            requireVersion("parent_version", parentVersion);
        }
        if (step < 0 || lrStep < 0) {
            throw new IllegalArgumentException("step and lr_step must be >= 0, got " + step + ", " + lrStep);
        }
        if (rng == null || createdAt == null) {
            throw new IllegalArgumentException("rng and created_at are required");
        }
        consumedOffsets = List.copyOf(consumedOffsets == null ? List.of() : consumedOffsets);
        metrics = Map.copyOf(metrics == null ? Map.of() : metrics);
        metrics.forEach((k, v) -> {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("metric '" + k + "' is not finite: " + v);
            }
        });
    }

    /** Whether {@code v} is usable as a version (and folder name): {@code [A-Za-z0-9][A-Za-z0-9._-]*}. */
    public static boolean isValidVersion(String v) {
        return v != null && VERSION.matcher(v).matches();
    }

    private static void requireVersion(String field, String v) {
        if (!isValidVersion(v)) {
            throw new IllegalArgumentException(field + " '" + v + "' must match " + VERSION.pattern());
        }
    }
}
