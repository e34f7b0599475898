package dev.alignloop.common.time;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing and formatting of durations as written in configuration. */
public final class Durations {

  // One or more "<number><unit>" groups, e.g. "1h30m" or "250ms".
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");

  private Durations() {}

  /**
   * Parses {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, combinations such as
   * {@code 1h30m}, a bare {@code 0}, or ISO-8601 ({@code PT30S}). Case-insensitive; negative
   * values are rejected.
   *
   * @throws IllegalArgumentException naming the text when it is not a duration
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("Empty duration");
    }
    String s = text.strip().toLowerCase(Locale.ROOT);
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.startsWith("p")) {
      try {
        Duration d = Duration.parse(s.toUpperCase(Locale.ROOT));
        if (d.isNegative()) {
          throw new IllegalArgumentException("Negative duration '" + text + "'");
        }
        return d;
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("Invalid ISO-8601 duration '" + text + "'", e);
      }
    }
    if (!WHOLE.matcher(s).matches()) {
      throw new IllegalArgumentException(
          "Invalid duration '" + text + "': expected e.g. 250ms, 30s, 5m, 2h, 1d, 1h30m or PT30S");
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(s);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> throw new IllegalStateException(m.group(2));
              });
    }
    return total;
  }

  /**
   * Formats a duration in the same short syntax {@link #parse} reads, e.g. {@code 1h30m}, {@code
   * 250ms}, {@code 0}. Sub-millisecond parts are dropped.
   */
  public static String format(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("Negative duration " + duration);
    }
    long ms = duration.toMillis();
    if (ms == 0) {
      return "0";
    }
    StringBuilder sb = new StringBuilder();
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
    String[] units = {"d", "h", "m", "s", "ms"};
    for (int i = 0; i < sizes.length; i++) {
      long n = ms / sizes[i];
      if (n > 0) {
        sb.append(n).append(units[i]);
        ms -= n * sizes[i];
      }
    }
    return sb.toString();
  }
}
