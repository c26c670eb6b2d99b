package dev.nudge.trade.policy;

import java.time.Instant;

/** A tenant's named cancellation policy; immutable once created. */
public class CancellationPolicy {

  public String id;
  public String tenantId;
  public String name;
  public String replyWindow;
  public String reminderInterval;
  public int maxReminders;
  public String minReminderSpacing;
  public String finalGrace;
  public String onSilenceReply;
  public String onSilenceCompletion;
  public String onSilenceConsent;
  public String freeCancellationUntil;
  public Instant createdAt;
  public int version;
}
