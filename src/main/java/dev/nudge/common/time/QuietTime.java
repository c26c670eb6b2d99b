package dev.nudge.common.time;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Optional;

/**
 * A party's quiet hours: local times in the party's own time zone; a window whose start is after
 * its end crosses midnight (22:00–08:00).
 */
public final class QuietTime {

  private QuietTime() {}

  /** {@code HH:mm}, 00:00 to 23:59 ("24:00" is not a time of day). */
  private static final DateTimeFormatter HH_MM =
      DateTimeFormatter.ofPattern("HH:mm").withResolverStyle(ResolverStyle.STRICT);

  /** A quiet-hours bound, or empty if {@code value} is not {@code HH:mm} from 00:00 to 23:59. */
  public static Optional<LocalTime> parse(String value) {
    if (value == null || value.length() != 5) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalTime.parse(value, HH_MM));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** When the quiet hours around {@code at} end, or empty if {@code at} is not in them. */
  public static Optional<Instant> endIfQuiet(Instant at, String zone, String start, String end) {
    if (start == null || end == null || zone == null) {
      return Optional.empty();
    }
    Optional<LocalTime> from = parse(start);
    Optional<LocalTime> to = parse(end);
    if (from.isEmpty() || to.isEmpty()) {
      // Not a window any more (stored before validation was strict): it must not stop reminders.
      return Optional.empty();
    }
    ZoneId z = ZoneId.of(zone);
    ZonedDateTime local = at.atZone(z);
    LocalTime s = from.get();
    LocalTime e = to.get();
    LocalTime t = local.toLocalTime();
    LocalDate endDate;
    if (s.isBefore(e)) {
      if (t.isBefore(s) || !t.isBefore(e)) {
        return Optional.empty();
      }
      endDate = local.toLocalDate();
    } else if (!t.isBefore(s)) {
      endDate = local.toLocalDate().plusDays(1);
    } else if (t.isBefore(e)) {
      endDate = local.toLocalDate();
    } else {
      return Optional.empty();
    }
    // ZonedDateTime.of moves a time that falls in a DST gap forward, which is what we want.
    Instant until = ZonedDateTime.of(endDate, e, z).toInstant();
    return until.isAfter(at) ? Optional.of(until) : Optional.empty();
  }
}
