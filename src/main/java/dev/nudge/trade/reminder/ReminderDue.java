package dev.nudge.trade.reminder;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.nudge.trade.reminder.ReminderViews.ReminderView;

/**
 * The data of {@code trade.reminder_due}: the trade after the change and the reminder. The trade
 * comes serialized already (once per change, shared by the change's events).
 */
@JsonPropertyOrder({"trade", "reminder"})
public record ReminderDue(@JsonRawValue String trade, ReminderView reminder) {}
