package dev.nudge.complaint.domain;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What can happen to a case. {@code respond} and {@code customer_message} come through their own
 * endpoints (a response of the support team, a further message of the customer); the others are the
 * types of {@code POST /v1/complaints/{id}/actions}.
 */
public enum ComplaintAction {
  RESPOND,
  CUSTOMER_MESSAGE,
  MOVE_TO_PRIVATE,
  PROPOSE_SOLUTION,
  RESOLVE,
  RECORD_FOLLOW_UP,
  REOPEN,
  ESCALATE,
  ASSIGN,
  PAUSE_SLA,
  RESUME_SLA;

  /** The actions {@code POST …/actions} takes. */
  public static final Set<ComplaintAction> ENDPOINT_ACTIONS =
      EnumSet.complementOf(EnumSet.of(RESPOND, CUSTOMER_MESSAGE));

  private final String wire = name().toLowerCase(Locale.ROOT);

  public String wire() {
    return wire;
  }

  public static Optional<ComplaintAction> parse(String wire) {
    for (ComplaintAction a : values()) {
      if (a.wire.equals(wire)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
