package dev.nudge.trade.domain;

import java.time.Duration;
import java.util.Locale;

/** The cancellation-policy values a trade runs by (a snapshot taken at creation). */
public record Policy(
    String id,
    String name,
    Duration replyWindow,
    Duration reminderInterval,
    int maxReminders,
    Duration minReminderSpacing,
    Duration finalGrace,
    OnSilence onSilence,
    FreeCancellation freeCancellationUntil) {

  public static final int HARD_CAP = 3;

  public enum SilenceRule {
    CANCEL,
    COMPLETE,
    NONE;

    private final String wire = name().toLowerCase(Locale.ROOT);

    public String wire() {
      return wire;
    }
  }

  /** Milestone up to which either side may withdraw alone. */
  public enum FreeCancellation {
    PAYMENT,
    SHIPMENT,
    ALWAYS,
    NEVER;

    private final String wire = name().toLowerCase(Locale.ROOT);

    public String wire() {
      return wire;
    }
  }

  public record OnSilence(
      SilenceRule reply, SilenceRule completionConfirmation, SilenceRule cancellationConsent) {

    public SilenceRule forKind(AwaitKind kind) {
      return switch (kind) {
        case REPLY -> reply;
        case COMPLETION_CONFIRMATION -> completionConfirmation;
        case CANCELLATION_CONSENT -> cancellationConsent;
      };
    }
  }

  /** SPEC §2 defaults, also the tenant default policy. */
  public static Policy defaults() {
    return new Policy(
        null,
        "Default",
        Duration.ofDays(3),
        Duration.ofDays(2),
        2,
        Duration.ofHours(12),
        Duration.ofDays(1),
        new OnSilence(SilenceRule.CANCEL, SilenceRule.COMPLETE, SilenceRule.CANCEL),
        FreeCancellation.PAYMENT);
  }
}
