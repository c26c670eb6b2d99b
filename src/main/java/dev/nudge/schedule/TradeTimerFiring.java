package dev.nudge.schedule;

import dev.nudge.party.Party;
import dev.nudge.reminder.Reminder;
import dev.nudge.reminder.ReminderDue;
import dev.nudge.reminder.ReminderRecords;
import dev.nudge.reminder.ReminderViews.ReminderView;
import dev.nudge.trade.Trade;
import dev.nudge.trade.TradeChanges;
import dev.nudge.trade.TradeChanges.Change;
import dev.nudge.trade.TradeCodec;
import dev.nudge.trade.domain.Policy.SilenceRule;
import dev.nudge.trade.domain.TradeFacts;
import dev.nudge.trade.domain.TradeState;
import dev.nudge.trade.domain.TradeTimers;
import dev.nudge.trade.domain.TradeTimers.Fired;
import dev.nudge.trade.domain.TradeTimers.Reminded;
import dev.nudge.trade.domain.TradeTimers.Silenced;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Fires the due timer of one trade that the caller holds locked, in the caller's transaction: the
 * row, its history, its reminder record and its events are written together or not at all.
 */
@ApplicationScoped
public class TradeTimerFiring {

  private final TradeCodec codec;
  private final TradeChanges changes;
  private final ReminderRecords reminders;
  private final EntityManager em;
  private final MeterRegistry metrics;

  public TradeTimerFiring(
      TradeCodec codec,
      TradeChanges changes,
      ReminderRecords reminders,
      EntityManager em,
      MeterRegistry metrics) {
    this.codec = codec;
    this.changes = changes;
    this.reminders = reminders;
    this.em = em;
    this.metrics = metrics;
  }

  /**
   * Fires the timer that was due at the row's {@code timer_at}, using that instant (not the time of
   * processing) so a late run ends in the same state. Returns false when nothing was due: a stale
   * {@code timer_at} (the trade moved on) is corrected instead.
   */
  public boolean fire(Trade t, Instant processedAt) {
    Instant due = t.timerAt;
    TradeFacts before = codec.facts(t);
    Optional<Fired> fired = TradeTimers.fire(before, due);
    if (fired.isEmpty()) {
      Instant next = TradeTimers.nextAt(before).orElse(null);
      t.timerAt = next != null && next.isAfter(due) ? next : null;
      em.flush();
      em.detach(t);
      return false;
    }
    metrics
        .timer("nudge.scheduler.claim.lag", "machine", "trade")
        .record(
            Duration.between(due, processedAt).isNegative()
                ? Duration.ZERO
                : Duration.between(due, processedAt));
    Fired f = fired.get();
    TradeState from = before.state();
    TradeState to = f.after().state();
    if (f instanceof Reminded r) {
      Party recipient = reminders.party(r.toPartyId());
      Optional<Instant> quietEnd =
          QuietHours.endIfQuiet(due, recipient.timeZone, recipient.quietStart, recipient.quietEnd);
      if (quietEnd.isPresent()) {
        reminders.deferred(t, before, quietEnd.get());
        changes.commit(
            t,
            TradeTimers.defer(before, quietEnd.get()),
            new Change(
                "system",
                "reminder_deferred",
                from,
                "Reminder " + r.number() + " deferred to the end of the recipient's quiet hours",
                null,
                due),
            Map.of());
        to = from;
      } else {
        Reminder rec = reminders.sent(t, before, r, false);
        ReminderView view = ReminderView.of(rec);
        changes.commit(
            t,
            r.after(),
            new Change("system", "reminder", from, "Reminder " + r.number(), null, due),
            Map.of("trade.reminder_due", new ReminderDue(() -> codec.view(t), view)));
      }
    } else if (f instanceof Silenced s) {
      Map<String, Object> extra =
          s.rule() == SilenceRule.NONE
              ? Map.of("trade.reply_overdue", new Lazy(() -> codec.view(t)))
              : Map.of();
      changes.commit(
          t,
          s.after(),
          new Change(
              "system",
              "silence",
              from,
              "No " + s.kind().wire().replace('_', ' ') + " after the agreed reminders",
              null,
              due),
          extra);
    }
    metrics
        .counter("nudge.transitions", "machine", "trade", "from", from.wire(), "to", to.wire())
        .increment();
    em.detach(t);
    return true;
  }

  /** Event data serialized when the outbox writes it, after the change was applied. */
  public static final class Lazy {
    private final java.util.function.Supplier<Object> value;

    Lazy(java.util.function.Supplier<Object> value) {
      this.value = value;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public Object value() {
      return value.get();
    }
  }
}
