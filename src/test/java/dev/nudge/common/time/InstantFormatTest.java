package dev.nudge.common.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstantFormatTest {

  @Test
  void writesWhatTheJdkWrites() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 200_000; i++) {
      Instant t =
          Instant.ofEpochSecond(
              random.nextLong(-100_000_000_000L, 300_000_000_000L),
              switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
              });
      assertThat(InstantFormat.iso(t)).isEqualTo(t.toString());
      if (t.getEpochSecond() >= 0 && t.getEpochSecond() < 253_402_300_800L) {
        assertThat(Instant.parse(InstantFormat.micros(t)))
            .isEqualTo(t.truncatedTo(ChronoUnit.MICROS));
      }
    }
  }

  @Test
  void edges() {
    assertThat(InstantFormat.iso(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(InstantFormat.iso(Instant.parse("2026-11-22T10:00:00.120Z")))
        .isEqualTo("2026-11-22T10:00:00.120Z");
    assertThat(InstantFormat.iso(Instant.parse("9999-12-31T23:59:59.999999999Z")))
        .isEqualTo("9999-12-31T23:59:59.999999999Z");
    assertThat(InstantFormat.micros(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000000Z");
  }
}
