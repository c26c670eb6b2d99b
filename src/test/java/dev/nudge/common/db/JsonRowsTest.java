package dev.nudge.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonRowsTest {

  @Test
  void instantsAreWrittenAsTheSameInstantToTheMicrosecond() {
    Random random = new Random(42);
    for (int i = 0; i < 100_000; i++) {
      Instant t =
          Instant.ofEpochSecond(
              (long) (random.nextDouble() * 253_402_300_799L), random.nextInt(1_000_000_000));
      assertThat(Instant.parse(JsonRows.utc(t))).isEqualTo(t.truncatedTo(ChronoUnit.MICROS));
    }
    assertThat(JsonRows.utc(Instant.parse("2026-11-24T20:14:59.123Z")))
        .isEqualTo("2026-11-24T20:14:59.123000Z");
    assertThat(JsonRows.utc(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000000Z");
    assertThat(JsonRows.utc(Instant.parse("9999-12-31T23:59:59Z")))
        .isEqualTo("9999-12-31T23:59:59.000000Z");
  }
}
