package dev.nudge.trade;

import java.time.Instant;

/**
 * One append-only history entry: an action or a timer, and the transition it caused. Mapped by
 * {@link TradeRepository#HISTORY}.
 */
public class TradeHistory {

  /** Assigned by the database; orders a trade's entries. */
  public Long id;

  public String tradeId;

  public Instant at;

  public String actor;

  public String action;

  public String fromState;

  public String toState;

  public String note;

  public String evidenceUrl;

  /** Whom the trade awaited after this change (null: nobody); for responsiveness. */
  public String awaitedPartyId;

  /** How many reminders the awaited party had been sent after this change. */
  public Integer remindersSent;
}
