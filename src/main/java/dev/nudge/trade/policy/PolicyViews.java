package dev.nudge.trade.policy;

import dev.nudge.common.time.Durations;
import dev.nudge.trade.domain.Policy;
import dev.nudge.trade.domain.Policy.FreeCancellation;
import dev.nudge.trade.domain.Policy.OnSilence;
import dev.nudge.trade.domain.Policy.SilenceRule;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Request and response bodies of the cancellation-policy API, and the trade's snapshot. */
public final class PolicyViews {

  private PolicyViews() {}

  public record OnSilenceView(
      String reply, String completionConfirmation, String cancellationConsent) {}

  public record CreatePolicy(
      String name,
      String replyWindow,
      String reminderInterval,
      Integer maxReminders,
      String minReminderSpacing,
      String finalGrace,
      OnSilenceView onSilence,
      String freeCancellationUntil) {}

  public record PolicyView(
      String id,
      String name,
      String replyWindow,
      String reminderInterval,
      int maxReminders,
      String minReminderSpacing,
      String finalGrace,
      OnSilenceView onSilence,
      String freeCancellationUntil,
      Instant createdAt,
      int version) {}

  /** The policy values a trade keeps (SPEC §2 {@code policy}); {@code id} null for the default. */
  public record PolicySnapshot(
      String id,
      String name,
      String replyWindow,
      String reminderInterval,
      int maxReminders,
      String minReminderSpacing,
      String finalGrace,
      OnSilenceView onSilence,
      String freeCancellationUntil) {

    public static PolicySnapshot of(Policy p) {
      return new PolicySnapshot(
          p.id(),
          p.name(),
          Durations.format(p.replyWindow()),
          Durations.format(p.reminderInterval()),
          p.maxReminders(),
          Durations.format(p.minReminderSpacing()),
          Durations.format(p.finalGrace()),
          new OnSilenceView(
              p.onSilence().reply().wire(),
              p.onSilence().completionConfirmation().wire(),
              p.onSilence().cancellationConsent().wire()),
          p.freeCancellationUntil().wire());
    }

    public Policy toDomain() {
      return new Policy(
          id,
          name,
          Duration.parse(replyWindow),
          Duration.parse(reminderInterval),
          maxReminders,
          Duration.parse(minReminderSpacing),
          Duration.parse(finalGrace),
          new OnSilence(
              rule(onSilence.reply()),
              rule(onSilence.completionConfirmation()),
              rule(onSilence.cancellationConsent())),
          FreeCancellation.valueOf(freeCancellationUntil.toUpperCase(Locale.ROOT)));
    }

    private static SilenceRule rule(String wire) {
      return SilenceRule.valueOf(wire.toUpperCase(Locale.ROOT));
    }
  }
}
