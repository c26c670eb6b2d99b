package dev.nudge.trade.domain;

import java.time.Instant;

/**
 * Everything the trade machine decides on, as one immutable value.
 *
 * @param silenceAt when the policy's silence rule applies (after the last reminder plus the final
 *     grace); null while reminders remain or nothing is awaited
 * @param overdueNotified the {@code none} silence rule already produced its one event
 */
public record TradeFacts(
    TradeState state,
    String initiatorId,
    String counterpartyId,
    Policy policy,
    Awaiting awaiting,
    Reminders reminders,
    Milestones milestones,
    Completions completions,
    Cancellation cancellation,
    Instant completedAt,
    Instant silenceAt,
    boolean overdueNotified) {

  public record Awaiting(
      String partyId, AwaitKind kind, String requestedBy, Instant since, Instant dueAt) {}

  public record Reminders(int sent, int max, Instant lastAt, Instant nextAt) {
    public static Reminders none(int max) {
      return new Reminders(0, max, null, null);
    }
  }

  public record Milestones(
      Instant paymentConfirmedAt, Instant shipmentConfirmedAt, Instant receiptConfirmedAt) {
    public static final Milestones NONE = new Milestones(null, null, null);
  }

  public record Completions(Instant initiator, Instant counterparty) {
    public static final Completions NONE = new Completions(null, null);
  }

  public record Cancellation(
      String reason, String byPartyId, boolean automatic, Instant at, String note) {}

  /** A freshly agreed trade. */
  public static TradeFacts agreed(String initiatorId, String counterpartyId, Policy policy) {
    return new TradeFacts(
        TradeState.AGREED,
        initiatorId,
        counterpartyId,
        policy,
        null,
        Reminders.none(policy.maxReminders()),
        Milestones.NONE,
        Completions.NONE,
        null,
        null,
        null,
        false);
  }

  public boolean isParty(String partyId) {
    return initiatorId.equals(partyId) || counterpartyId.equals(partyId);
  }

  public String otherParty(String partyId) {
    return initiatorId.equals(partyId) ? counterpartyId : initiatorId;
  }

  /** The party the trade waits on, or null. */
  public String awaitedParty() {
    return awaiting == null ? null : awaiting.partyId();
  }

  /** The party waiting for the other's answer, or null. */
  public String waitingParty() {
    return awaiting == null ? null : otherParty(awaiting.partyId());
  }

  TradeFacts with(TradeState s) {
    return new TradeFacts(
        s,
        initiatorId,
        counterpartyId,
        policy,
        awaiting,
        reminders,
        milestones,
        completions,
        cancellation,
        completedAt,
        silenceAt,
        overdueNotified);
  }

  TradeFacts withAwaiting(Awaiting a, Reminders r, Instant silence) {
    return new TradeFacts(
        state,
        initiatorId,
        counterpartyId,
        policy,
        a,
        r,
        milestones,
        completions,
        cancellation,
        completedAt,
        silence,
        false);
  }

  TradeFacts withReminders(Reminders r, Instant silence) {
    return new TradeFacts(
        state,
        initiatorId,
        counterpartyId,
        policy,
        awaiting,
        r,
        milestones,
        completions,
        cancellation,
        completedAt,
        silence,
        overdueNotified);
  }

  TradeFacts withMilestones(Milestones m) {
    return new TradeFacts(
        state,
        initiatorId,
        counterpartyId,
        policy,
        awaiting,
        reminders,
        m,
        completions,
        cancellation,
        completedAt,
        silenceAt,
        overdueNotified);
  }

  TradeFacts withCompletions(Completions c) {
    return new TradeFacts(
        state,
        initiatorId,
        counterpartyId,
        policy,
        awaiting,
        reminders,
        milestones,
        c,
        cancellation,
        completedAt,
        silenceAt,
        overdueNotified);
  }

  TradeFacts ended(TradeState s, Cancellation c, Instant completed) {
    return new TradeFacts(
        s,
        initiatorId,
        counterpartyId,
        policy,
        null,
        new Reminders(reminders.sent, reminders.max, reminders.lastAt, null),
        milestones,
        completions,
        c,
        completed,
        null,
        overdueNotified);
  }

  TradeFacts markOverdueNotified() {
    return new TradeFacts(
        state,
        initiatorId,
        counterpartyId,
        policy,
        awaiting,
        reminders,
        milestones,
        completions,
        cancellation,
        completedAt,
        null,
        true);
  }
}
