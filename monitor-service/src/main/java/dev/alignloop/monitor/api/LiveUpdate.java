package dev.alignloop.monitor.api;

import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;

/**
 * One live tick ({@code GET /api/stream} event, or {@code GET /api/live} when polling): the
 * topic table, which changes all the time, plus a version per other section so the page
 * re-fetches only what changed.
 *
 * @param atMs when the tick was made
 * @param topics the topic table
 * @param versions change counter per section: {@code curves}, {@code checkpoints}, {@code
 *     evals}, {@code dlq}, {@code pairs}
 */
@Serdeable
public record LiveUpdate(long atMs, TopicsView topics, Map<String, Long> versions) {}
