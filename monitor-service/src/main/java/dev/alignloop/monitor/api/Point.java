package dev.alignloop.monitor.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One chart point.
 *
 * @param x step, sequence number or time, as the series says
 * @param y value
 * @param label what the point belongs to (e.g. the checkpoint version), or null
 */
@Serdeable
public record Point(double x, double y, @Nullable String label) {}
