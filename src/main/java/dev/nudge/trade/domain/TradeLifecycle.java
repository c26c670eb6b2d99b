package dev.nudge.trade.domain;

import static dev.nudge.trade.domain.TradeTransitions.ACTIONS;

import dev.nudge.common.statemachine.ActionRefused;
import dev.nudge.trade.domain.Policy.FreeCancellation;
import dev.nudge.trade.domain.TradeFacts.Awaiting;
import dev.nudge.trade.domain.TradeFacts.Cancellation;
import dev.nudge.trade.domain.TradeFacts.Completions;
import dev.nudge.trade.domain.TradeFacts.Milestones;
import dev.nudge.trade.domain.TradeFacts.Reminders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a party's action does to a trade: the guards (who may do what, when) and the effects. Pure:
 * time comes in as {@code now}, and every state change is checked against {@link
 * TradeTransitions#ACTIONS}.
 */
public final class TradeLifecycle {

  private TradeLifecycle() {}

  /** The result of an action: the trade after it, and the states it moved between. */
  public record Outcome(TradeFacts after, TradeState from, TradeState to) {
    public boolean stateChanged() {
      return from != to;
    }
  }

  public static Outcome act(
      TradeFacts t, TradeAction action, String actor, Duration extendBy, String note, Instant now) {
    refusal(t, action, actor)
        .ifPresent(
            reason -> {
              throw new ActionRefused(
                  t.state().wire(), action.wire(), reason, allowedActions(t, actor));
            });
    TradeFacts after = effect(t, action, actor, extendBy, note, now);
    ACTIONS.check(t.state(), action, after.state());
    return new Outcome(after, t.state(), after.state());
  }

  /** Why {@code actor} may not do {@code action} now; empty when they may. */
  public static Optional<String> refusal(TradeFacts t, TradeAction action, String actor) {
    if (!ACTIONS.allows(t.state(), action)) {
      return Optional.of(action.wire() + " is not allowed while the trade is " + t.state().wire());
    }
    AwaitKind kind = t.awaiting() == null ? null : t.awaiting().kind();
    boolean awaited = actor.equals(t.awaitedParty());
    boolean waiting = actor.equals(t.waitingParty());
    return switch (action) {
      case REQUEST_REPLY -> Optional.empty();
      case REPLY ->
          awaited && kind == AwaitKind.REPLY
              ? Optional.empty()
              : Optional.of("only the party asked for a reply may reply");
      case CONFIRM_PAYMENT ->
          t.milestones().paymentConfirmedAt() == null
              ? Optional.empty()
              : Optional.of("payment is already confirmed");
      case CONFIRM_SHIPMENT ->
          t.milestones().shipmentConfirmedAt() == null
              ? Optional.empty()
              : Optional.of("shipment is already confirmed");
      case CONFIRM_RECEIPT ->
          t.milestones().receiptConfirmedAt() == null
              ? Optional.empty()
              : Optional.of("receipt is already confirmed");
      case CONFIRM_COMPLETION -> {
        if (completionOf(t, actor) != null) {
          yield Optional.of("this party has already confirmed completion");
        }
        yield kind == AwaitKind.CANCELLATION_CONSENT
            ? Optional.of("a cancellation request is pending")
            : Optional.empty();
      }
      case REQUEST_CANCELLATION ->
          kind == AwaitKind.CANCELLATION_CONSENT
              ? Optional.of("a cancellation request is already pending")
              : Optional.empty();
      case ACCEPT_CANCELLATION, DECLINE_CANCELLATION ->
          awaited && kind == AwaitKind.CANCELLATION_CONSENT
              ? Optional.empty()
              : Optional.of("only the party asked to consent to the cancellation may answer");
      case EXTEND_DEADLINE ->
          waiting
              ? Optional.empty()
              : Optional.of("only the waiting party may extend the deadline");
      case CANCEL_FOR_NO_REPLY -> {
        if (!waiting) {
          yield Optional.of("only the waiting party may cancel for no reply");
        }
        yield t.reminders().sent() >= t.reminders().max()
            ? Optional.empty()
            : Optional.of(
                "all "
                    + t.reminders().max()
                    + " reminders must have been sent first ("
                    + t.reminders().sent()
                    + " so far)");
      }
    };
  }

  /** The actions {@code partyId} may take now, in table order. */
  public static List<String> allowedActions(TradeFacts t, String partyId) {
    List<String> allowed = new ArrayList<>();
    if (!t.isParty(partyId)) {
      return allowed;
    }
    for (TradeAction a : TradeAction.values()) {
      // The table check first: it refuses most actions without building a reason.
      if (ACTIONS.allows(t.state(), a) && refusal(t, a, partyId).isEmpty()) {
        allowed.add(a.wire());
      }
    }
    return allowed;
  }

  /** Whether a cancellation by one side alone is still free of the other's consent. */
  public static boolean freeCancellation(TradeFacts t) {
    FreeCancellation until = t.policy().freeCancellationUntil();
    return switch (until) {
      case ALWAYS -> true;
      case NEVER -> false;
      case PAYMENT -> t.milestones().paymentConfirmedAt() == null;
      case SHIPMENT -> t.milestones().shipmentConfirmedAt() == null;
    };
  }

  private static TradeFacts effect(
      TradeFacts t, TradeAction action, String actor, Duration extendBy, String note, Instant now) {
    return switch (action) {
      case REQUEST_REPLY ->
          await(
              t.with(TradeState.AWAITING_REPLY), t.otherParty(actor), AwaitKind.REPLY, actor, now);
      case REPLY, DECLINE_CANCELLATION -> answered(t);
      case CONFIRM_PAYMENT, CONFIRM_SHIPMENT, CONFIRM_RECEIPT -> {
        TradeFacts recorded = t.withMilestones(milestone(t.milestones(), action, now));
        boolean countsAsReply =
            actor.equals(t.awaitedParty()) && t.awaiting().kind() == AwaitKind.REPLY;
        yield countsAsReply ? answered(recorded) : recorded;
      }
      case CONFIRM_COMPLETION -> {
        Completions c =
            actor.equals(t.initiatorId())
                ? new Completions(now, t.completions().counterparty())
                : new Completions(t.completions().initiator(), now);
        TradeFacts confirmed = t.withCompletions(c);
        if (c.initiator() != null && c.counterparty() != null) {
          yield confirmed.ended(TradeState.COMPLETED, null, now);
        }
        yield await(
            confirmed.with(TradeState.AWAITING_REPLY),
            t.otherParty(actor),
            AwaitKind.COMPLETION_CONFIRMATION,
            actor,
            now);
      }
      case REQUEST_CANCELLATION -> {
        if (freeCancellation(t)) {
          yield t.ended(
              TradeState.CANCELLED, new Cancellation("withdrawn", actor, false, now, note), null);
        }
        yield await(
            t.with(TradeState.AWAITING_REPLY),
            t.otherParty(actor),
            AwaitKind.CANCELLATION_CONSENT,
            actor,
            now);
      }
      case ACCEPT_CANCELLATION ->
          t.ended(
              TradeState.CANCELLED,
              new Cancellation("mutual", t.awaiting().requestedBy(), false, now, note),
              null);
      case EXTEND_DEADLINE -> extend(t, extendBy);
      case CANCEL_FOR_NO_REPLY ->
          t.ended(
              TradeState.CANCELLED, new Cancellation("no_reply", actor, false, now, note), null);
    };
  }

  /** Starts waiting on {@code party}: a fresh reply window and reminder count. */
  static TradeFacts await(
      TradeFacts t, String party, AwaitKind kind, String requestedBy, Instant now) {
    Instant due = now.plus(t.policy().replyWindow());
    int max = t.policy().maxReminders();
    Reminders reminders = new Reminders(0, max, null, max > 0 ? due : null);
    Instant silence = max > 0 ? null : due.plus(t.policy().finalGrace());
    return t.withAwaiting(new Awaiting(party, kind, requestedBy, now, due), reminders, silence);
  }

  private static TradeFacts answered(TradeFacts t) {
    return t.with(TradeState.AGREED)
        .withAwaiting(null, Reminders.none(t.policy().maxReminders()), null);
  }

  private static TradeFacts extend(TradeFacts t, Duration by) {
    if (by == null || by.isNegative() || by.isZero()) {
      throw new IllegalArgumentException("extendBy must be a positive duration");
    }
    Awaiting a = t.awaiting();
    Reminders r = t.reminders();
    return t.withAwaiting(
        new Awaiting(a.partyId(), a.kind(), a.requestedBy(), a.since(), a.dueAt().plus(by)),
        new Reminders(
            r.sent(), r.max(), r.lastAt(), r.nextAt() == null ? null : r.nextAt().plus(by)),
        t.silenceAt() == null ? null : t.silenceAt().plus(by));
  }

  private static Milestones milestone(Milestones m, TradeAction action, Instant now) {
    return switch (action) {
      case CONFIRM_PAYMENT -> new Milestones(now, m.shipmentConfirmedAt(), m.receiptConfirmedAt());
      case CONFIRM_SHIPMENT -> new Milestones(m.paymentConfirmedAt(), now, m.receiptConfirmedAt());
      case CONFIRM_RECEIPT -> new Milestones(m.paymentConfirmedAt(), m.shipmentConfirmedAt(), now);
      default -> m;
    };
  }

  private static Instant completionOf(TradeFacts t, String party) {
    return party.equals(t.initiatorId())
        ? t.completions().initiator()
        : t.completions().counterparty();
  }
}
