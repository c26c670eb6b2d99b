package dev.nudge.common.time;

import dev.nudge.common.problem.Validator;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/** ISO-8601 durations as the API takes and shows them ({@code PT1H}, {@code P3D}). */
public final class Durations {

  private Durations() {}

  /** Parses {@code value}; records a field error and returns null when it is not valid. */
  public static Duration parse(String value, String field, Duration min, Validator v) {
    if (value == null) {
      return null;
    }
    try {
      Duration d = Duration.parse(value);
      if (d.compareTo(min) < 0) {
        v.add(field, "must be at least " + format(min));
        return null;
      }
      if (d.compareTo(Duration.ofDays(3650)) > 0) {
        v.add(field, "must be at most P3650D");
        return null;
      }
      return d;
    } catch (DateTimeParseException e) {
      v.add(field, "must be an ISO-8601 duration such as PT1H or P3D");
      return null;
    }
  }

  /** Days stay days: {@code P3D}, not {@code PT72H}. */
  public static String format(Duration d) {
    long days = d.toDays();
    Duration rest = d.minusDays(days);
    if (days == 0) {
      return d.toString();
    }
    return rest.isZero() ? "P" + days + "D" : "P" + days + "D" + rest.toString().substring(1);
  }
}
