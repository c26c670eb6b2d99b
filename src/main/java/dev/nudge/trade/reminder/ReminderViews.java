package dev.nudge.trade.reminder;

import jakarta.validation.constraints.NotBlank;
import java.time.Instant;

/** Bodies of the reminder API (SPEC §2 Reminders). */
public final class ReminderViews {

  private ReminderViews() {}

  public record ReminderView(
      String id,
      String tradeId,
      String toPartyId,
      int number,
      String tone,
      String channel,
      String locale,
      String message,
      Instant scheduledFor,
      Instant sentAt,
      String status) {

    public static ReminderView of(Reminder r) {
      return new ReminderView(
          r.id,
          r.tradeId,
          r.toPartyId,
          r.number,
          r.tone,
          r.channel,
          r.locale,
          r.message,
          r.scheduledFor,
          r.sentAt,
          r.status);
    }
  }

  public record ManualReminder(@NotBlank(message = "is required") String fromPartyId) {}

  public record TemplateBody(String body) {}

  /** A reminder text; {@code source} says whether the tenant overrides the shipped one. */
  public record TemplateView(
      String locale, String tone, String body, String source, Instant updatedAt) {}
}
