package dev.nudge.trade;

import dev.nudge.common.metrics.TransitionMetrics;
import dev.nudge.event.EventDraft;
import dev.nudge.event.EventOutbox;
import dev.nudge.event.RawJson;
import dev.nudge.trade.TradeViews.TradeView;
import dev.nudge.trade.domain.TradeFacts;
import dev.nudge.trade.domain.TradeState;
import dev.nudge.trade.reminder.ReminderRepository;
import dev.nudge.trade.reminder.ReminderViews.ReminderView;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Every change of a trade, by an action or a timer, comes through here: the new facts on the row
 * (its version bumped once), one history entry and the events, with the trade serialized once for
 * all of them. Actions commit one change at once; the scheduler prepares many and writes them
 * set-based.
 */
@ApplicationScoped
public class TradeChanges {

  /** What happened, for history. */
  public record Change(
      String actor, String action, TradeState from, String note, String evidenceUrl, Instant at) {}

  /**
   * An event besides the lifecycle ones: {@code trade.reminder_due} (with the reminder) or {@code
   * trade.reply_overdue}.
   */
  public record Extra(String type, ReminderView reminder) {}

  /** A change applied to the row in memory, with what is to be written beside it. */
  public record Prepared(
      Trade trade, TradeHistory history, List<EventDraft> events, TradeView view, String json) {}

  /**
   * The trade as now shown, and its JSON as the events carry it: an answer can send the same bytes
   * instead of serializing the trade once more.
   */
  public record Shown(TradeView view, String json) {}

  private final TradeRepository trades;
  private final ReminderRepository reminders;
  private final TradeCodec codec;
  private final EventOutbox outbox;
  private final TransitionMetrics transitions;

  public TradeChanges(
      TradeRepository trades,
      ReminderRepository reminders,
      TradeCodec codec,
      EventOutbox outbox,
      TransitionMetrics transitions) {
    this.trades = trades;
    this.reminders = reminders;
    this.codec = codec;
    this.outbox = outbox;
    this.transitions = transitions;
  }

  /**
   * Applies {@code after} to the row in memory: the facts, the next version, the event sequence
   * numbers; builds the history entry and the events ({@code extra}, if any, after the lifecycle
   * ones). Writes nothing.
   */
  public Prepared prepare(Trade t, TradeFacts after, Change change, Extra extra) {
    codec.apply(t, after, change.at());
    t.version++;
    TradeHistory h = new TradeHistory();
    h.tradeId = t.id;
    h.at = change.at();
    h.actor = change.actor();
    h.action = change.action();
    h.fromState = change.from() == null ? null : change.from().wire();
    h.toState = after.state().wire();
    h.note = change.note();
    h.evidenceUrl = change.evidenceUrl();
    h.awaitedPartyId = after.awaitedParty();
    h.remindersSent = after.reminders().sent();
    List<String> types = new ArrayList<>(3);
    if (change.from() == null) {
      types.add("trade.created");
    } else if (change.from() != after.state()) {
      types.add("trade.state_changed");
    } else if (extra == null) {
      types.add("trade.updated");
    }
    if (change.from() != after.state() && after.state() == TradeState.COMPLETED) {
      types.add("trade.completed");
    }
    if (change.from() != after.state() && after.state() == TradeState.CANCELLED) {
      types.add("trade.cancelled");
    }
    TradeView view = codec.view(t);
    String json = TradeJson.trade(view);
    // One encoding of the snapshot for every event that carries it, reminder_due's included.
    RawJson snapshot = new RawJson(json);
    List<EventDraft> events = new ArrayList<>(types.size() + 1);
    for (String type : types) {
      events.add(draft(t, type, change.at(), snapshot));
    }
    if (extra != null) {
      RawJson data =
          extra.reminder() == null
              ? snapshot
              : RawJson.ofUtf8(TradeJson.reminderDue(snapshot.utf8(), extra.reminder()));
      events.add(draft(t, extra.type(), change.at(), data));
    }
    return new Prepared(t, h, events, view, json);
  }

  /**
   * Commits one change on the caller's connection: the row ({@code created}: inserted), its history
   * entry and its events. Returns the trade as now shown, with its JSON.
   */
  public Shown commit(
      Connection c, Trade t, TradeFacts after, Change change, Extra extra, boolean created)
      throws SQLException {
    Instant pendingBefore = t.remindersNextAt;
    Prepared p = prepare(t, after, change, extra);
    if (created) {
      trades.insert(c, List.of(t));
    } else {
      trades.update(c, List.of(t));
    }
    trades.insertHistory(c, List.of(p.history()));
    if (pendingBefore != null && !pendingBefore.equals(t.remindersNextAt)) {
      // A reminder held for the recipient's quiet hours is no longer due (the party answered,
      // the deadline moved, the trade ended): withdraw it rather than leave it "deferred" forever.
      reminders.withdrawHeld(c, t.id, pendingBefore);
    }
    outbox.appendAll(c, p.events());
    if (change.from() != null) {
      transitions.count("trade", change.from().wire(), after.state().wire());
    }
    return new Shown(p.view(), p.json());
  }

  /** The event's sequence number is the next of the row's, which the writer holds locked. */
  private static EventDraft draft(Trade t, String type, Instant at, Object data) {
    return new EventDraft(
        t.tenantId,
        type,
        "trade",
        t.id,
        ++t.eventSeq,
        List.of(t.initiatorId, t.counterpartyId),
        at,
        data);
  }
}
