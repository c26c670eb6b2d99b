package dev.nudge.trade.domain;

import dev.nudge.common.time.QuietHours;
import dev.nudge.trade.domain.TradeTimers.Reminded;
import java.time.Instant;
import java.util.Optional;

/**
 * The one decision about a reminder, for the scheduler's and the parties' (manual nudges) alike:
 * whether it is sent now or held until the recipient's quiet hours end, its number, its tone and
 * the deadline it states. Pure: time comes in as {@code at}.
 */
public final class Reminding {

  private Reminding() {}

  /** What becomes of a reminder falling due at {@code at}. */
  public sealed interface Plan {
    TradeFacts after();

    int number();

    Tone tone();

    /** When the policy acts if the recipient stays silent; stated by the last reminder only. */
    Instant deadline();
  }

  /** Sent at {@code at}. */
  public record Send(Reminded reminded) implements Plan {
    public TradeFacts after() {
      return reminded.after();
    }

    public int number() {
      return reminded.number();
    }

    public Tone tone() {
      return reminded.tone();
    }

    public Instant deadline() {
      return reminded.after().silenceAt();
    }
  }

  /** Held until {@code until}, the end of the recipient's quiet hours; the trade waits for it. */
  public record Hold(TradeFacts after, int number, Tone tone, Instant until, Instant deadline)
      implements Plan {}

  /** Why a manual nudge is refused. */
  public sealed interface NudgeRefusal {}

  /** The trade waits on nobody, so there is no one to remind. */
  public record AwaitsNothing() implements NudgeRefusal {}

  /** Only the waiting party may nudge; this one is awaited. */
  public record Awaited() implements NudgeRefusal {}

  /** Every reminder the policy allows was sent. */
  public record CapReached(int sent, int max) implements NudgeRefusal {}

  /**
   * Too soon after the last reminder, or while one waits for the recipient's quiet hours to end.
   *
   * @param heldUntil when the held reminder goes out, or null
   */
  public record TooSoon(Instant last, Instant heldUntil, Instant retryAt) implements NudgeRefusal {}

  /**
   * The plan for the reminder due at {@code at}: held if {@code at} falls in the recipient's quiet
   * hours, else sent.
   */
  public static Plan plan(TradeFacts before, Instant at, QuietHours recipient) {
    Optional<Instant> quietEnd = recipient.endIfQuiet(at);
    if (quietEnd.isEmpty()) {
      return new Send(TradeTimers.remind(before, at));
    }
    Instant until = quietEnd.get();
    int number = before.reminders().sent() + 1;
    int max = before.reminders().max();
    Instant deadline = number >= max ? until.plus(before.policy().finalGrace()) : null;
    return new Hold(
        TradeTimers.defer(before, until), number, Tone.of(number, max), until, deadline);
  }

  /**
   * Why {@code from}, a party of the trade, may not nudge now; empty when they may. {@code held}
   * says whether a reminder already waits for the end of the recipient's quiet hours at the trade's
   * next reminder time.
   */
  public static Optional<NudgeRefusal> nudgeRefusal(
      TradeFacts t, String from, Instant now, boolean held) {
    if (t.awaiting() == null || !t.state().awaiting()) {
      return Optional.of(new AwaitsNothing());
    }
    if (from.equals(t.awaitedParty())) {
      return Optional.of(new Awaited());
    }
    if (t.reminders().sent() >= t.reminders().max()) {
      return Optional.of(new CapReached(t.reminders().sent(), t.reminders().max()));
    }
    Instant last = t.reminders().lastAt();
    if (last != null && last.plus(t.policy().minReminderSpacing()).isAfter(now)) {
      return Optional.of(new TooSoon(last, null, last.plus(t.policy().minReminderSpacing())));
    }
    Instant pending = t.reminders().nextAt();
    if (held && pending != null && pending.isAfter(now)) {
      return Optional.of(new TooSoon(last, pending, pending.plus(t.policy().minReminderSpacing())));
    }
    return Optional.empty();
  }
}
