package dev.nudge.common.time;

import static dev.nudge.support.Gen.weight;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nudge.common.problem.Validator;
import dev.nudge.support.Gen;
import dev.nudge.support.Property;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Properties of the API's durations (SPEC §2), over generated values. */
class DurationsPropertiesTest {

  private static final Gen<Duration> DURATIONS =
      r -> Duration.ofSeconds(1 + (long) (r.nextDouble() * Durations.LONGEST.toSeconds()));

  @Test
  void whatIsShownIsReadBackAsTheSameDuration() {
    Property.check(
        "format then parse",
        2000,
        DURATIONS,
        d -> assertThat(Durations.of(Durations.format(d))).isEqualTo(d));
  }

  @Test
  void weeksAreSevenDaysAndMixWithDaysAndTimes() {
    Gen<int[]> parts = r -> new int[] {r.nextInt(500), r.nextInt(400), r.nextInt(24)};
    Property.check(
        "weeks",
        1000,
        parts,
        p -> {
          assertThat(Durations.of("P" + p[0] + "W")).isEqualTo(Duration.ofDays(7L * p[0]));
          assertThat(Durations.of("P" + p[0] + "W" + p[1] + "DT" + p[2] + "H"))
              .isEqualTo(Duration.ofDays(7L * p[0] + p[1]).plusHours(p[2]));
        });
  }

  @Test
  void monthsAndYearsAreRefusedSayingWhy() {
    Gen<String> withMonths =
        r -> {
          String unit = r.nextBoolean() ? "M" : "Y";
          String before = r.nextBoolean() ? "" : (1 + r.nextInt(9)) + (r.nextBoolean() ? "Y" : "W");
          String after = r.nextBoolean() ? "" : (1 + r.nextInt(9)) + "D";
          String time = r.nextBoolean() ? "" : "T" + (1 + r.nextInt(59)) + "M";
          String text = "P" + before + (1 + r.nextInt(100)) + unit + after + time;
          return r.nextBoolean() ? text : text.toLowerCase();
        };
    Property.check(
        "months and years",
        1000,
        withMonths,
        text ->
            assertThatThrownBy(() -> Durations.of(text))
                .as(text)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(Durations.NO_MONTHS));
  }

  /** Whatever a client sends, the answer is a duration in range or a field error: no exception. */
  @Test
  void anyTextGivesADurationInRangeOrAFieldError() {
    Gen<String> text =
        Gen.frequency(
            weight(3, Gen.strings(' ', '~', 0, 24)),
            weight(3, Gen.strings('0', 'Z', 1, 16).map(s -> "P" + s)),
            weight(2, Gen.strings('-', 'W', 1, 16).map(s -> "PT" + s)),
            weight(1, Gen.strings('\u0000', '\uffff', 0, 12)));
    Property.check(
        "any text",
        3000,
        text,
        t -> {
          Validator v = new Validator();
          Duration d = Durations.parse(t, "f", Duration.ofSeconds(1), v);
          if (d == null) {
            assertThat(v.ok()).as(t).isFalse();
          } else {
            assertThat(v.ok()).isTrue();
            assertThat(d).isBetween(Duration.ofSeconds(1), Durations.LONGEST);
          }
        });
  }
}
