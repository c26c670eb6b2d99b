package dev.nudge.trade.domain;

import java.util.Locale;

/** How a reminder speaks: the first is gentle, the last is final, any between are firm. */
public enum Tone {
  GENTLE,
  FIRM,
  FINAL;

  private final String wire = name().toLowerCase(Locale.ROOT);

  public String wire() {
    return wire;
  }

  public static Tone of(int number, int max) {
    if (number >= max) {
      return FINAL;
    }
    return number == 1 ? GENTLE : FIRM;
  }

  public static java.util.Optional<Tone> parse(String wire) {
    for (Tone t : values()) {
      if (t.wire().equals(wire)) {
        return java.util.Optional.of(t);
      }
    }
    return java.util.Optional.empty();
  }
}
