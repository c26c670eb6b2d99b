package dev.nudge.complaint.domain;

import java.util.Locale;
import java.util.Optional;

public enum Severity {
  LOW,
  NORMAL,
  HIGH,
  CRITICAL;

  private final String wire = name().toLowerCase(Locale.ROOT);

  public String wire() {
    return wire;
  }

  public static Optional<Severity> parse(String wire) {
    for (Severity s : values()) {
      if (s.wire.equals(wire)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
