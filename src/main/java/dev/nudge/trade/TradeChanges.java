package dev.nudge.trade;

import dev.nudge.event.EventDraft;
import dev.nudge.event.EventOutbox;
import dev.nudge.trade.TradeViews.TradeView;
import dev.nudge.trade.domain.TradeFacts;
import dev.nudge.trade.domain.TradeState;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Commits one change of a trade: the new facts on the row, the history entry and the events, all in
 * the caller's transaction. Actions and timers both come through here.
 */
@ApplicationScoped
public class TradeChanges {

  /** What happened, for history. */
  public record Change(
      String actor, String action, TradeState from, String note, String evidenceUrl, Instant at) {}

  private final TradeRepository trades;
  private final TradeCodec codec;
  private final EventOutbox outbox;

  public TradeChanges(TradeRepository trades, TradeCodec codec, EventOutbox outbox) {
    this.trades = trades;
    this.codec = codec;
    this.outbox = outbox;
  }

  /**
   * One change applied to a row in memory: the history entry to write and the lifecycle event
   * types, whose sequence numbers start at {@code firstSeq} (reserved on the row).
   */
  public record Step(TradeHistory history, List<String> types, int firstSeq) {}

  /**
   * Applies {@code after} and records it; {@code extraEvents} (type → data) come after the
   * lifecycle events, e.g. {@code trade.reminder_due}. Returns the trade as now shown.
   */
  public TradeView commit(
      Trade t, TradeFacts after, Change change, Map<String, Object> extraEvents) {
    Instant pendingBefore = t.remindersNextAt;
    Step step = apply(t, after, change, extraEvents.size());
    trades.record(step.history());
    trades.flush();
    if (pendingBefore != null && !pendingBefore.equals(t.remindersNextAt)) {
      // A reminder held for the recipient's quiet hours is no longer due (the party answered,
      // the deadline moved, the trade ended): withdraw it rather than leave it "deferred" forever.
      trades.withdrawDeferredReminder(t.id, pendingBefore);
    }
    TradeView view = codec.view(t);
    outbox.appendAll(events(t, step, change.at(), view, extraEvents));
    return view;
  }

  /**
   * Applies {@code after} to the row in memory and reserves the sequence numbers of its events,
   * without writing anything: the caller writes the row, the history entry and {@link #events}.
   */
  public Step apply(Trade t, TradeFacts after, Change change, int extraEvents) {
    codec.apply(t, after, change.at());
    TradeHistory h = new TradeHistory();
    h.tradeId = t.id;
    h.at = change.at();
    h.actor = change.actor();
    h.action = change.action();
    h.fromState = change.from() == null ? null : change.from().wire();
    h.toState = after.state().wire();
    h.note = change.note();
    h.evidenceUrl = change.evidenceUrl();
    List<String> types = new ArrayList<>();
    if (change.from() == null) {
      types.add("trade.created");
    } else if (change.from() != after.state()) {
      types.add("trade.state_changed");
    } else if (extraEvents == 0) {
      types.add("trade.updated");
    }
    if (change.from() != after.state() && after.state() == TradeState.COMPLETED) {
      types.add("trade.completed");
    }
    if (change.from() != after.state() && after.state() == TradeState.CANCELLED) {
      types.add("trade.cancelled");
    }
    // Sequence numbers are taken before the row is written, so it is written (and versioned) once.
    int firstSeq = t.eventSeq + 1;
    t.eventSeq += types.size() + extraEvents;
    return new Step(h, types, firstSeq);
  }

  /** The events of {@code step}: lifecycle events carrying {@code view}, then the extra ones. */
  public List<EventDraft> events(
      Trade t, Step step, Instant at, Object view, Map<String, Object> extraEvents) {
    List<EventDraft> events = new ArrayList<>(step.types().size() + extraEvents.size());
    int seq = step.firstSeq();
    for (String type : step.types()) {
      events.add(draft(t, type, seq++, at, view));
    }
    for (Map.Entry<String, Object> e : extraEvents.entrySet()) {
      events.add(draft(t, e.getKey(), seq++, at, e.getValue()));
    }
    return events;
  }

  private static EventDraft draft(Trade t, String type, int seq, Instant at, Object data) {
    return new EventDraft(
        t.tenantId, type, "trade", t.id, seq, List.of(t.initiatorId, t.counterpartyId), at, data);
  }
}
