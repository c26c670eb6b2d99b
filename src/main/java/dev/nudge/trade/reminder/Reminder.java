package dev.nudge.trade.reminder;

import java.time.Instant;

/**
 * One reminder to the awaited party of a trade, automatic or a manual nudge; mapped by {@link
 * ReminderRepository#TABLE}.
 */
public class Reminder {

  public static final String SCHEDULED = "scheduled";
  public static final String SENT = "sent";
  public static final String DEFERRED = "deferred";

  public String id;
  public String tradeId;
  public String tenantId;
  public String toPartyId;
  public int number;
  public String tone;

  /** The recipient's first channel type, or null. */
  public String channel;

  public String locale;
  public String message;
  public Instant scheduledFor;
  public Instant sentAt;
  public String status;
  public boolean manual;

  /** Not a column: the record exists already (a held reminder now sent or held again). */
  public boolean stored;
}
