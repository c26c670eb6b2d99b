package dev.nudge.complaint.domain;

import java.util.Locale;
import java.util.Optional;

/** Where a complaint case stands (SPEC §2 ComplaintCase). */
public enum ComplaintState {
  OPEN,
  ACKNOWLEDGED,
  SOLUTION_PROPOSED,
  RESOLVED,
  CLOSED;

  private final String wire = name().toLowerCase(Locale.ROOT);

  public String wire() {
    return wire;
  }

  public static Optional<ComplaintState> parse(String wire) {
    for (ComplaintState s : values()) {
      if (s.wire.equals(wire)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
