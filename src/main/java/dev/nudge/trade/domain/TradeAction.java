package dev.nudge.trade.domain;

import java.util.Locale;
import java.util.Optional;

public enum TradeAction {
  REQUEST_REPLY,
  REPLY,
  CONFIRM_PAYMENT,
  CONFIRM_SHIPMENT,
  CONFIRM_RECEIPT,
  CONFIRM_COMPLETION,
  REQUEST_CANCELLATION,
  ACCEPT_CANCELLATION,
  DECLINE_CANCELLATION,
  EXTEND_DEADLINE,
  CANCEL_FOR_NO_REPLY;

  private final String wire = name().toLowerCase(Locale.ROOT);

  public String wire() {
    return wire;
  }

  public boolean milestone() {
    return this == CONFIRM_PAYMENT || this == CONFIRM_SHIPMENT || this == CONFIRM_RECEIPT;
  }

  public static Optional<TradeAction> parse(String wire) {
    for (TradeAction a : values()) {
      if (a.wire().equals(wire)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
