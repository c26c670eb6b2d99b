package dev.nudge.trade.domain;

import static dev.nudge.trade.domain.TradeTransitions.TIMERS;

import dev.nudge.trade.domain.Policy.SilenceRule;
import dev.nudge.trade.domain.TradeFacts.Cancellation;
import dev.nudge.trade.domain.TradeFacts.Reminders;
import dev.nudge.trade.domain.TradeTransitions.Timer;
import java.time.Instant;
import java.util.Optional;

/**
 * The trade's clock (SPEC §3): when it next needs attention, and what happens then. Effects are
 * computed from the instant the timer was due, not from when a replica got to it, so a late or
 * batched run ends in the same state as a punctual one.
 */
public final class TradeTimers {

  private TradeTimers() {}

  /** What firing a timer did. */
  public sealed interface Fired {
    TradeFacts after();

    TradeState from();
  }

  /** Reminder {@code number} went to the awaited party. */
  public record Reminded(
      TradeFacts after, TradeState from, int number, Tone tone, String toPartyId, Instant at)
      implements Fired {}

  /** The silence rule applied: the trade was cancelled or completed, or one overdue event. */
  public record Silenced(
      TradeFacts after, TradeState from, AwaitKind kind, SilenceRule rule, Instant at)
      implements Fired {}

  /** When the trade's next timer falls due, if it has one. */
  public static Optional<Instant> nextAt(TradeFacts t) {
    if (!t.state().awaiting() || t.awaiting() == null) {
      return Optional.empty();
    }
    Reminders r = t.reminders();
    if (r.sent() < r.max() && r.nextAt() != null) {
      return Optional.of(r.nextAt());
    }
    if (t.silenceAt() != null && !t.overdueNotified()) {
      return Optional.of(t.silenceAt());
    }
    return Optional.empty();
  }

  /** Fires the timer that was due at {@code at}; empty if none was due by then (a repeat). */
  public static Optional<Fired> fire(TradeFacts t, Instant at) {
    Optional<Instant> due = nextAt(t);
    if (due.isEmpty() || due.get().isAfter(at)) {
      return Optional.empty();
    }
    Reminders r = t.reminders();
    if (r.sent() < r.max() && r.nextAt() != null) {
      return Optional.of(remind(t, at));
    }
    return Optional.of(silence(t, at));
  }

  /** A reminder sent now, by the scheduler or as a manual nudge; both count toward the cap. */
  public static Reminded remind(TradeFacts t, Instant at) {
    Reminders r = t.reminders();
    int number = r.sent() + 1;
    boolean last = number >= r.max();
    Reminders next =
        new Reminders(number, r.max(), at, last ? null : at.plus(t.policy().reminderInterval()));
    Instant silence = last ? at.plus(t.policy().finalGrace()) : null;
    TradeFacts after =
        t.with(TIMERS.check(t.state(), Timer.REMINDER, TradeState.REMINDED))
            .withReminders(next, silence);
    return new Reminded(after, t.state(), number, Tone.of(number, r.max()), t.awaitedParty(), at);
  }

  /** Moves the pending reminder to {@code until} (quiet hours of the recipient). */
  public static TradeFacts defer(TradeFacts t, Instant until) {
    Reminders r = t.reminders();
    return t.withReminders(new Reminders(r.sent(), r.max(), r.lastAt(), until), t.silenceAt());
  }

  private static Silenced silence(TradeFacts t, Instant at) {
    AwaitKind kind = t.awaiting().kind();
    SilenceRule rule = t.policy().onSilence().forKind(kind);
    TradeFacts after =
        switch (rule) {
          case CANCEL ->
              t.ended(
                  TradeState.CANCELLED,
                  new Cancellation(
                      "no_reply", null, true, at, "No reply after the agreed reminders"),
                  null);
          case COMPLETE -> t.ended(TradeState.COMPLETED, null, at);
          case NONE -> t.markOverdueNotified();
        };
    TIMERS.check(t.state(), Timer.SILENCE, after.state());
    return new Silenced(after, t.state(), kind, rule, at);
  }
}
