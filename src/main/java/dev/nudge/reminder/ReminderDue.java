package dev.nudge.reminder;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.nudge.reminder.ReminderViews.ReminderView;
import java.util.function.Supplier;

/**
 * The data of {@code trade.reminder_due}: {@code {trade, reminder}}. The trade is read when the
 * outbox serializes the event, i.e. after the change was applied, so it shows the trade after it.
 */
@JsonPropertyOrder({"trade", "reminder"})
public final class ReminderDue {

  private final Supplier<Object> trade;
  private final ReminderView reminder;

  public ReminderDue(Supplier<Object> trade, ReminderView reminder) {
    this.trade = trade;
    this.reminder = reminder;
  }

  public Object getTrade() {
    return trade.get();
  }

  public ReminderView getReminder() {
    return reminder;
  }
}
