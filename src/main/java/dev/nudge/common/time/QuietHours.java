package dev.nudge.common.time;

import java.time.Instant;
import java.util.Optional;

/**
 * A person's quiet hours: {@code HH:mm} bounds in their own IANA time zone; a window whose start is
 * after its end crosses midnight. {@link #NONE} has no window.
 */
public record QuietHours(String timeZone, String start, String end) {

  public static final QuietHours NONE = new QuietHours(null, null, null);

  /** When the quiet hours around {@code at} end, or empty if {@code at} is not in them. */
  public Optional<Instant> endIfQuiet(Instant at) {
    return QuietTime.endIfQuiet(at, timeZone, start, end);
  }
}
