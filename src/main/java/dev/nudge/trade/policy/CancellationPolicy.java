package dev.nudge.trade.policy;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A tenant's named cancellation policy; immutable once created. */
@Entity
@Table(name = "cancellation_policy")
public class CancellationPolicy {

  @Id public String id;

  @Column(name = "tenant_id", nullable = false)
  public String tenantId;

  @Column(nullable = false)
  public String name;

  @Column(name = "reply_window", nullable = false)
  public String replyWindow;

  @Column(name = "reminder_interval", nullable = false)
  public String reminderInterval;

  @Column(name = "max_reminders", nullable = false)
  public int maxReminders;

  @Column(name = "min_reminder_spacing", nullable = false)
  public String minReminderSpacing;

  @Column(name = "final_grace", nullable = false)
  public String finalGrace;

  @Column(name = "on_silence_reply", nullable = false)
  public String onSilenceReply;

  @Column(name = "on_silence_completion", nullable = false)
  public String onSilenceCompletion;

  @Column(name = "on_silence_consent", nullable = false)
  public String onSilenceConsent;

  @Column(name = "free_cancellation_until", nullable = false)
  public String freeCancellationUntil;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Version public int version;
}
