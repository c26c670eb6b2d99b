package dev.nudge.trade.domain;

import java.util.Locale;

/** What a trade waits for from the awaited party. */
public enum AwaitKind {
  REPLY,
  COMPLETION_CONFIRMATION,
  CANCELLATION_CONSENT;

  private final String wire = name().toLowerCase(Locale.ROOT);

  public String wire() {
    return wire;
  }

  public static AwaitKind parse(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
