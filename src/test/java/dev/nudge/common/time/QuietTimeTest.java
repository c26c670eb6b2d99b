package dev.nudge.common.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class QuietTimeTest {

  private static final String TOKYO = "Asia/Tokyo";

  @Test
  void aWindowAcrossMidnightEndsNextMorningLocalTime() {
    // 23:00 in Tokyo → 08:00 the next day there.
    assertThat(QuietTime.endIfQuiet(Instant.parse("2026-11-22T14:00:00Z"), TOKYO, "22:00", "08:00"))
        .contains(Instant.parse("2026-11-22T23:00:00Z"));
    // 03:00 in Tokyo → 08:00 the same day.
    assertThat(QuietTime.endIfQuiet(Instant.parse("2026-11-22T18:00:00Z"), TOKYO, "22:00", "08:00"))
        .contains(Instant.parse("2026-11-22T23:00:00Z"));
  }

  @Test
  void outsideTheWindowOrWithoutOneNothingIsDeferred() {
    assertThat(QuietTime.endIfQuiet(Instant.parse("2026-11-22T03:00:00Z"), TOKYO, "22:00", "08:00"))
        .isEmpty();
    assertThat(QuietTime.endIfQuiet(Instant.parse("2026-11-22T23:00:00Z"), TOKYO, "22:00", "08:00"))
        .isEmpty();
    assertThat(QuietTime.endIfQuiet(Instant.parse("2026-11-22T14:00:00Z"), TOKYO, null, null))
        .isEmpty();
  }

  @Test
  void aWindowWithinOneDay() {
    // 13:30 in Tokyo inside 12:00–14:00.
    assertThat(QuietTime.endIfQuiet(Instant.parse("2026-11-22T04:30:00Z"), TOKYO, "12:00", "14:00"))
        .contains(Instant.parse("2026-11-22T05:00:00Z"));
    assertThat(QuietTime.endIfQuiet(Instant.parse("2026-11-22T05:00:00Z"), TOKYO, "12:00", "14:00"))
        .isEmpty();
  }

  @Test
  void daylightSavingGapsMoveTheEndForward() {
    // New York springs forward at 02:00 on 2026-03-08; a window ending 02:30 ends at 03:30 EDT.
    assertThat(
            QuietTime.endIfQuiet(
                Instant.parse("2026-03-08T05:00:00Z"), "America/New_York", "23:00", "02:30"))
        .contains(Instant.parse("2026-03-08T07:30:00Z"));
  }
}
