package dev.nudge.event;

import java.util.List;
import java.util.Set;

/** The event catalogue of SPEC §4 and the subscription patterns over it. */
public final class EventTypes {

  public static final List<String> ALL =
      List.of(
          "trade.created",
          "trade.state_changed",
          "trade.updated",
          "trade.reminder_due",
          "trade.reply_overdue",
          "trade.completed",
          "trade.cancelled",
          "complaint.opened",
          "complaint.responded",
          "complaint.state_changed",
          "complaint.sla_warning",
          "complaint.sla_breached",
          "complaint.escalated",
          "complaint.follow_up_due");

  private static final Set<String> FAMILIES = Set.of("trade", "complaint");

  private EventTypes() {}

  /** A known type, {@code family.*} or {@code *}. */
  public static boolean isSubscribable(String pattern) {
    if (pattern == null) {
      return false;
    }
    if (pattern.equals("*") || ALL.contains(pattern)) {
      return true;
    }
    return pattern.endsWith(".*") && FAMILIES.contains(pattern.substring(0, pattern.length() - 2));
  }

  /** The pattern as an SQL LIKE pattern ({@code _} escaped, {@code *} → {@code %}). */
  public static String toLike(String pattern) {
    return pattern.replace("_", "\\_").replace("*", "%");
  }
}
