/**
 * Time helpers: {@link dev.alignloop.common.time.Durations} parses human durations from config
 * ({@code 250ms}, {@code 30s}, {@code 5m}, ISO-8601 {@code PT30S}); {@link
 * dev.alignloop.common.time.ManualClock} is a settable {@link java.time.Clock} for tests. Code that
 * reads time takes a {@code Clock} in a package-private constructor (Kafka style) so tests
 * inject a {@code ManualClock} instead of sleeping.
 */
package dev.alignloop.common.time;
