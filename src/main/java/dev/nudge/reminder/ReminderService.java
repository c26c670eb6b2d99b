package dev.nudge.reminder;

import dev.nudge.common.auth.Caller;
import dev.nudge.common.paging.Page;
import dev.nudge.common.paging.PageRequest;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.ProblemType;
import dev.nudge.common.problem.Validator;
import dev.nudge.common.time.QuietTime;
import dev.nudge.common.time.TenantClock;
import dev.nudge.party.Party;
import dev.nudge.party.PartyService;
import dev.nudge.reminder.ReminderViews.ManualReminder;
import dev.nudge.reminder.ReminderViews.ReminderView;
import dev.nudge.trade.Trade;
import dev.nudge.trade.TradeChanges;
import dev.nudge.trade.TradeChanges.Change;
import dev.nudge.trade.TradeCodec;
import dev.nudge.trade.TradeRepository;
import dev.nudge.trade.TradeService;
import dev.nudge.trade.domain.TradeFacts;
import dev.nudge.trade.domain.TradeLifecycle;
import dev.nudge.trade.domain.TradeTimers;
import dev.nudge.trade.domain.TradeTimers.Reminded;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/** Reminder feeds and manual nudges (SPEC §2 Reminders). */
@ApplicationScoped
public class ReminderService {

  private static final Set<String> STATUSES =
      Set.of(Reminder.SCHEDULED, Reminder.SENT, Reminder.DEFERRED);

  private final ReminderRepository reminders;
  private final ReminderRecords records;
  private final TradeRepository trades;
  private final TradeService tradeService;
  private final TradeCodec codec;
  private final TradeChanges changes;
  private final PartyService parties;
  private final Caller caller;
  private final TenantClock clock;

  public ReminderService(
      ReminderRepository reminders,
      ReminderRecords records,
      TradeRepository trades,
      TradeService tradeService,
      TradeCodec codec,
      TradeChanges changes,
      PartyService parties,
      Caller caller,
      TenantClock clock) {
    this.reminders = reminders;
    this.records = records;
    this.trades = trades;
    this.tradeService = tradeService;
    this.codec = codec;
    this.changes = changes;
    this.parties = parties;
    this.caller = caller;
    this.clock = clock;
  }

  @Transactional
  public Page<ReminderView> forTrade(String tradeId, PageRequest page) {
    Trade t = tradeService.require(tradeId);
    return Page.of(
        reminders.forTrade(t.id, page.after(), page.limit()),
        page.limit(),
        ReminderView::of,
        r -> r.id);
  }

  @Transactional
  public Page<ReminderView> forParty(String partyId, String status, PageRequest page) {
    if (status != null && !STATUSES.contains(status)) {
      throw ApiProblem.validation("status", "must be one of scheduled, sent, deferred");
    }
    parties.require(partyId);
    return Page.of(
        reminders.forParty(partyId, status, page.after(), page.limit()),
        page.limit(),
        ReminderView::of,
        r -> r.id);
  }

  /** A manual nudge by the waiting party; counts toward the cap like an automatic reminder. */
  @Transactional
  public ReminderView nudge(String tradeId, ManualReminder r) {
    if (r == null) {
      throw ApiProblem.validation("body", "is required");
    }
    new Validator().required(r.fromPartyId(), "fromPartyId").throwIfInvalid();
    tradeService.require(tradeId);
    Trade t =
        trades
            .lock(caller.tenantId(), tradeId)
            .orElseThrow(() -> ApiProblem.notFound("Trade", tradeId));
    TradeFacts f = codec.facts(t);
    String from = r.fromPartyId();
    if (!f.isParty(from)) {
      throw ApiProblem.forbidden("Party " + from + " is not a party of this trade.");
    }
    caller.requireActingAs(from);
    if (f.awaiting() == null || !f.state().awaiting()) {
      throw new ApiProblem(
              ProblemType.ILLEGAL_TRANSITION,
              "The trade awaits nothing, so there is no one to remind.")
          .with("state", f.state().wire())
          .with("allowedActions", TradeLifecycle.allowedActions(f, from));
    }
    if (from.equals(f.awaitedParty())) {
      throw ApiProblem.forbidden(
          "Only the waiting party may send a reminder; this party is awaited.");
    }
    if (f.reminders().sent() >= f.reminders().max()) {
      throw new ApiProblem(
              ProblemType.REMINDER_CAP_REACHED,
              "All " + f.reminders().max() + " reminders the policy allows were sent.")
          .with("sent", f.reminders().sent())
          .with("max", f.reminders().max());
    }
    Instant now = clock.now(t.tenantId);
    Instant last = f.reminders().lastAt();
    if (last != null) {
      Instant allowedAt = last.plus(f.policy().minReminderSpacing());
      if (allowedAt.isAfter(now)) {
        throw new ApiProblem(
                ProblemType.REMINDER_TOO_SOON,
                "The last reminder was at " + last + "; the next may be sent at " + allowedAt + ".")
            .with("retryAt", allowedAt.toString())
            .header("Retry-After", Long.toString(seconds(now, allowedAt)));
      }
    }
    Instant pendingAt = f.reminders().nextAt();
    if (pendingAt != null
        && pendingAt.isAfter(now)
        && reminders.pending(t.id, pendingAt).isPresent()) {
      Instant allowedAt = pendingAt.plus(f.policy().minReminderSpacing());
      throw new ApiProblem(
              ProblemType.REMINDER_TOO_SOON,
              "A reminder is already waiting for the end of the recipient's quiet hours at "
                  + pendingAt
                  + "; the next may be sent at "
                  + allowedAt
                  + ".")
          .with("retryAt", allowedAt.toString())
          .header("Retry-After", Long.toString(seconds(now, allowedAt)));
    }
    Party recipient = records.party(f.awaitedParty());
    Instant quietEnd =
        QuietTime.endIfQuiet(now, recipient.timeZone, recipient.quietStart, recipient.quietEnd)
            .orElse(null);
    if (quietEnd != null) {
      // Held until the recipient's quiet hours end; the scheduler sends it then, in place of the
      // next automatic reminder.
      Reminder rec = records.deferred(t, f, quietEnd);
      rec.manual = true;
      changes.commit(
          t,
          TradeTimers.defer(f, quietEnd),
          new Change(
              from,
              "reminder_deferred",
              f.state(),
              "Reminder " + rec.number + " deferred to the end of the recipient's quiet hours",
              null,
              now),
          Map.of());
      return ReminderView.of(rec);
    }
    Reminded reminded = TradeTimers.remind(f, now);
    Reminder rec = records.sent(t, f, reminded, true);
    ReminderView view = ReminderView.of(rec);
    changes.commit(
        t,
        reminded.after(),
        new Change(from, "reminder", f.state(), "Reminder " + reminded.number(), null, now),
        Map.of("trade.reminder_due", new ReminderDue(() -> codec.view(t), view)));
    return view;
  }

  private static long seconds(Instant now, Instant until) {
    return (Duration.between(now, until).toMillis() + 999) / 1000;
  }
}
