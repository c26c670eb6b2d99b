package dev.nudge.trade.domain;

import java.util.Locale;
import java.util.Optional;

public enum TradeState {
  AGREED,
  AWAITING_REPLY,
  REMINDED,
  CANCELLED,
  COMPLETED;

  private final String wire = name().toLowerCase(Locale.ROOT);

  public String wire() {
    return wire;
  }

  public boolean terminal() {
    return this == CANCELLED || this == COMPLETED;
  }

  public boolean awaiting() {
    return this == AWAITING_REPLY || this == REMINDED;
  }

  public static Optional<TradeState> parse(String wire) {
    for (TradeState s : values()) {
      if (s.wire().equals(wire)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
