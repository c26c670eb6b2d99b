package dev.nudge.complaint;

import dev.nudge.common.problem.Validator;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** RFC 3339 times a client reports (when the customer posted or wrote). */
final class Times {

  private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

  private Times() {}

  /** Parses {@code value}, which may not lie after {@code now}; null when absent or invalid. */
  static Instant parse(String value, String field, Instant now, Validator v) {
    if (value == null) {
      return null;
    }
    try {
      Instant t = OffsetDateTime.parse(value).toInstant();
      if (t.isAfter(now)) {
        v.add(field, "must not be in the future (now is " + now + ")");
        return null;
      }
      if (t.isBefore(EARLIEST)) {
        v.add(field, "must not be before " + EARLIEST);
        return null;
      }
      return t;
    } catch (DateTimeParseException e) {
      v.add(field, "must be an RFC 3339 time such as 2026-11-22T10:00:00Z");
      return null;
    }
  }
}
