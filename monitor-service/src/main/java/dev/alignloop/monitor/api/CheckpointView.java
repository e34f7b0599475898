package dev.alignloop.monitor.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;

/**
 * One checkpoint of the lineage ({@code GET /api/checkpoints}), at its latest status.
 *
 * @param version checkpoint version
 * @param parentVersion the version it was trained from, null for the base model
 * @param status {@code CANDIDATE}, {@code PROMOTED} or {@code REJECTED}
 * @param step optimizer step
 * @param uri where it is stored
 * @param createdAtMs when its latest status was written
 * @param metrics training metrics at this step
 * @param evalDecision the eval gate's decision, null until evaluated
 * @param evalWinRate the eval win rate, null until evaluated
 */
@Serdeable
public record CheckpointView(String version, @Nullable String parentVersion, String status, long step,
    String uri, long createdAtMs, Map<String, Double> metrics, @Nullable String evalDecision,
    @Nullable Double evalWinRate) {}
