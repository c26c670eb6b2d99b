package dev.nudge.trade.reminder;

import dev.nudge.common.auth.Caller;
import dev.nudge.common.db.Jdbc;
import dev.nudge.common.paging.Page;
import dev.nudge.common.paging.PageRequest;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.ProblemType;
import dev.nudge.common.problem.Validator;
import dev.nudge.common.time.TenantClock;
import dev.nudge.party.PartyService;
import dev.nudge.trade.Trade;
import dev.nudge.trade.TradeChanges;
import dev.nudge.trade.TradeChanges.Extra;
import dev.nudge.trade.TradeCodec;
import dev.nudge.trade.TradeRepository;
import dev.nudge.trade.TradeService;
import dev.nudge.trade.domain.Reminding;
import dev.nudge.trade.domain.Reminding.CapReached;
import dev.nudge.trade.domain.Reminding.NudgeRefusal;
import dev.nudge.trade.domain.Reminding.TooSoon;
import dev.nudge.trade.domain.TradeFacts;
import dev.nudge.trade.domain.TradeLifecycle;
import dev.nudge.trade.reminder.ReminderPipeline.Lookups;
import dev.nudge.trade.reminder.ReminderPipeline.Step;
import dev.nudge.trade.reminder.ReminderViews.ManualReminder;
import dev.nudge.trade.reminder.ReminderViews.ReminderView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Reminder feeds and manual nudges (SPEC §2 Reminders). */
@ApplicationScoped
public class ReminderService {

  private static final Set<String> STATUSES =
      Set.of(Reminder.SCHEDULED, Reminder.SENT, Reminder.DEFERRED);

  private final Jdbc jdbc;
  private final jakarta.validation.Validator constraints;
  private final ReminderRepository reminders;
  private final ReminderPipeline pipeline;
  private final TradeRepository trades;
  private final TradeService tradeService;
  private final TradeCodec codec;
  private final TradeChanges changes;
  private final PartyService parties;
  private final Caller caller;
  private final TenantClock clock;

  public ReminderService(
      Jdbc jdbc,
      jakarta.validation.Validator constraints,
      ReminderRepository reminders,
      ReminderPipeline pipeline,
      TradeRepository trades,
      TradeService tradeService,
      TradeCodec codec,
      TradeChanges changes,
      PartyService parties,
      Caller caller,
      TenantClock clock) {
    this.jdbc = jdbc;
    this.constraints = constraints;
    this.reminders = reminders;
    this.pipeline = pipeline;
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
        jdbc.call(c -> reminders.forTrade(c, t.id, page.after(), page.limit())),
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
        jdbc.call(c -> reminders.forParty(c, partyId, status, page.after(), page.limit())),
        page.limit(),
        ReminderView::of,
        r -> r.id);
  }

  /**
   * A manual nudge by the waiting party: the same pipeline as the scheduler's reminders, and it
   * counts toward the cap like them.
   */
  @Transactional
  public ReminderView nudge(String tradeId, ManualReminder r) {
    tradeService.require(tradeId);
    if (r == null) {
      throw ApiProblem.validation("body", "is required");
    }
    Validator.of(constraints, r).throwIfInvalid();
    return jdbc.call(c -> nudge(c, tradeId, r.fromPartyId()));
  }

  private ReminderView nudge(Connection c, String tradeId, String from) throws SQLException {
    Trade t =
        trades
            .lock(c, caller.tenantId(), tradeId)
            .orElseThrow(() -> ApiProblem.notFound("Trade", tradeId));
    TradeFacts f = codec.facts(t);
    if (!f.isParty(from)) {
      throw ApiProblem.forbidden("Party " + from + " is not a party of this trade.");
    }
    caller.requireActingAs(from);
    Instant now = clock.now(t.tenantId);
    Lookups lookups = pipeline.lookups(c, List.of(t));
    boolean held = lookups.heldAt(t.id, f.reminders().nextAt()) != null;
    NudgeRefusal refusal = Reminding.nudgeRefusal(f, from, now, held).orElse(null);
    if (refusal != null) {
      throw problem(refusal, f, from, now);
    }
    Step step = pipeline.remind(t, f, now, from, true, lookups);
    ReminderView view = ReminderView.of(step.record());
    pipeline.write(c, List.of(step.record()));
    changes.commit(
        c,
        t,
        step.after(),
        step.change(),
        step.sent() ? new Extra("trade.reminder_due", view) : null,
        false);
    return view;
  }

  private static ApiProblem problem(NudgeRefusal refusal, TradeFacts f, String from, Instant now) {
    if (refusal instanceof Reminding.AwaitsNothing) {
      return new ApiProblem(
              ProblemType.ILLEGAL_TRANSITION,
              "The trade awaits nothing, so there is no one to remind.")
          .with("state", f.state().wire())
          .with("allowedActions", TradeLifecycle.allowedActions(f, from));
    }
    if (refusal instanceof Reminding.Awaited) {
      return ApiProblem.forbidden(
          "Only the waiting party may send a reminder; this party is awaited.");
    }
    if (refusal instanceof CapReached cap) {
      return new ApiProblem(
              ProblemType.REMINDER_CAP_REACHED,
              "All " + cap.max() + " reminders the policy allows were sent.")
          .with("sent", cap.sent())
          .with("max", cap.max());
    }
    TooSoon soon = (TooSoon) refusal;
    String detail =
        soon.heldUntil() == null
            ? "The last reminder was at "
                + soon.last()
                + "; the next may be sent at "
                + soon.retryAt()
                + "."
            : "A reminder is already waiting for the end of the recipient's quiet hours at "
                + soon.heldUntil()
                + "; the next may be sent at "
                + soon.retryAt()
                + ".";
    return new ApiProblem(ProblemType.REMINDER_TOO_SOON, detail)
        .with("retryAt", soon.retryAt().toString())
        .header("Retry-After", Long.toString(seconds(now, soon.retryAt())));
  }

  private static long seconds(Instant now, Instant until) {
    return (Duration.between(now, until).toMillis() + 999) / 1000;
  }
}
