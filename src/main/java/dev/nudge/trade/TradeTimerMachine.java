package dev.nudge.trade;

import dev.nudge.event.EventDraft;
import dev.nudge.event.EventOutbox;
import dev.nudge.schedule.TimerMachine;
import dev.nudge.trade.TradeChanges.Change;
import dev.nudge.trade.TradeChanges.Extra;
import dev.nudge.trade.TradeChanges.Prepared;
import dev.nudge.trade.domain.Policy.SilenceRule;
import dev.nudge.trade.domain.TradeFacts;
import dev.nudge.trade.domain.TradeTimers;
import dev.nudge.trade.domain.TradeTimers.Silenced;
import dev.nudge.trade.reminder.Reminder;
import dev.nudge.trade.reminder.ReminderPipeline;
import dev.nudge.trade.reminder.ReminderPipeline.Lookups;
import dev.nudge.trade.reminder.ReminderPipeline.Step;
import dev.nudge.trade.reminder.ReminderViews.ReminderView;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The trade machine on the timer engine (SPEC §3): what a trade's due timer does is decided by the
 * pure {@link TradeTimers} (reminder or silence rule) and, for reminders, the same pipeline as
 * manual nudges; a batch is then written with one statement per table.
 */
@ApplicationScoped
public class TradeTimerMachine implements TimerMachine<Trade, TradeTimerMachine.TradeFired> {

  /** One trade's fired timer, applied to the row in memory and not yet written. */
  public record TradeFired(Prepared change, Reminder reminder, String fromState, Instant dueAt)
      implements TimerMachine.Fired {

    public String subjectId() {
      return change.trade().id;
    }

    public String toState() {
      return change.trade().state;
    }
  }

  private final TradeCodec codec;
  private final TradeChanges changes;
  private final TradeRepository trades;
  private final ReminderPipeline reminders;
  private final EventOutbox outbox;

  public TradeTimerMachine(
      TradeCodec codec,
      TradeChanges changes,
      TradeRepository trades,
      ReminderPipeline reminders,
      EventOutbox outbox) {
    this.codec = codec;
    this.changes = changes;
    this.trades = trades;
    this.reminders = reminders;
    this.outbox = outbox;
  }

  @Override
  public String name() {
    return "trade";
  }

  @Override
  public String table() {
    return "trade";
  }

  @Override
  public String columns() {
    return TradeRepository.columns();
  }

  @Override
  public Trade read(ResultSet rs) throws SQLException {
    return TradeRepository.read(rs);
  }

  @Override
  public String id(Trade row) {
    return row.id;
  }

  @Override
  public Decider<Trade, TradeFired> prepare(Connection c, List<Trade> rows) throws SQLException {
    Lookups lookups = reminders.lookups(c, rows);
    return (t, now) -> decide(t, now, lookups);
  }

  /**
   * Fires the timer {@code t} has due by {@code now}, at the instant it was due (not the time of
   * processing), so a late run ends in the same state as a punctual one.
   */
  private Decision<TradeFired> decide(Trade t, Instant now, Lookups lookups) {
    TradeFacts before = codec.facts(t);
    Instant due = TradeTimers.nextAt(before).orElse(null);
    TradeTimers.Fired f =
        due == null || due.isAfter(now) ? null : TradeTimers.fire(before, due).orElse(null);
    if (f == null) {
      return new Retime<>(due);
    }
    String from = before.state().wire();
    if (f instanceof TradeTimers.Reminded) {
      Step step = reminders.remind(t, before, due, "system", false, lookups);
      Extra extra =
          step.sent() ? new Extra("trade.reminder_due", ReminderView.of(step.record())) : null;
      return new Fire<>(
          new TradeFired(
              changes.prepare(t, step.after(), step.change(), extra), step.record(), from, due));
    }
    Silenced s = (Silenced) f;
    Change change =
        new Change(
            "system",
            "silence",
            before.state(),
            "No " + s.kind().wire().replace('_', ' ') + " after the agreed reminders",
            null,
            due);
    Extra extra = s.rule() == SilenceRule.NONE ? new Extra("trade.reply_overdue", null) : null;
    return new Fire<>(
        new TradeFired(changes.prepare(t, s.after(), change, extra), null, from, due));
  }

  @Override
  public void write(Connection c, List<TradeFired> fired) throws SQLException {
    List<Trade> rows = new ArrayList<>(fired.size());
    List<TradeHistory> history = new ArrayList<>(fired.size());
    List<Reminder> records = new ArrayList<>();
    List<EventDraft> events = new ArrayList<>(fired.size() * 2);
    for (TradeFired f : fired) {
      rows.add(f.change().trade());
      history.add(f.change().history());
      if (f.reminder() != null) {
        records.add(f.reminder());
      }
      events.addAll(f.change().events());
    }
    trades.update(c, rows);
    trades.insertHistory(c, history);
    reminders.write(c, records);
    outbox.appendAll(c, events);
  }
}
