package dev.nudge.trade.domain;

import java.util.Locale;

/** What a trade waits for from the awaited party. */
public enum AwaitKind {
  REPLY,
  COMPLETION_CONFIRMATION,
  CANCELLATION_CONSENT;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static AwaitKind parse(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
