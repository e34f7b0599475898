package dev.alignloop.common.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void parsesShortAndIsoForms() {
    assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
    assertEquals(Duration.ofSeconds(30), Durations.parse(" 30S "));
    assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
    assertEquals(Duration.ofDays(2), Durations.parse("2d"));
    assertEquals(Duration.ZERO, Durations.parse("0"));
    assertEquals(Duration.ofSeconds(30), Durations.parse("PT30S"));
  }

  @Test
  void rejectsGarbageNamingIt() {
    for (String bad : new String[] {"", "10", "5 minutes", "-5s", "PT-5S", "1.5h", "s"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
      assertTrue(bad.isEmpty() || e.getMessage().contains(bad), e.getMessage());
    }
  }

  @Test
  void formatRoundTrips() {
    for (String s : new String[] {"0", "250ms", "30s", "1h30m", "1d2h3m4s5ms"}) {
      assertEquals(s, Durations.format(Durations.parse(s)));
    }
  }

  @Test
  void manualClockMovesOnlyWhenTold() {
    ManualClock clock = new ManualClock(Instant.parse("2024-05-01T00:00:00Z"));
    assertEquals(Instant.parse("2024-05-01T00:00:00Z"), clock.instant());
    clock.advance(Duration.ofSeconds(5));
    assertEquals(Instant.parse("2024-05-01T00:00:05Z"), clock.instant());
    var shifted = clock.withZone(ZoneOffset.ofHours(2));
    clock.advance(Duration.ofSeconds(1));
    assertEquals(clock.instant(), shifted.instant(), "zone views share the time");
    assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
    clock.set(Instant.EPOCH);
    assertEquals(0, clock.millis());
  }
}
