package dev.nudge.party;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A party's quiet hours: local times in the party's own time zone; a window whose start is after
 * its end crosses midnight (22:00–08:00).
 */
public final class QuietTime {

  private QuietTime() {}

  /** When the quiet hours around {@code at} end, or empty if {@code at} is not in them. */
  public static Optional<Instant> endIfQuiet(Instant at, String zone, String start, String end) {
    if (start == null || end == null || zone == null) {
      return Optional.empty();
    }
    ZoneId z = ZoneId.of(zone);
    ZonedDateTime local = at.atZone(z);
    LocalTime s = LocalTime.parse(start);
    LocalTime e = LocalTime.parse(end);
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
