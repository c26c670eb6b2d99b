package dev.nudge.trade;

import dev.nudge.trade.domain.AwaitKind;
import dev.nudge.trade.domain.Policy;
import dev.nudge.trade.domain.TradeFacts;
import dev.nudge.trade.domain.TradeFacts.Awaiting;
import dev.nudge.trade.domain.TradeFacts.Cancellation;
import dev.nudge.trade.domain.TradeFacts.Completions;
import dev.nudge.trade.domain.TradeFacts.Milestones;
import dev.nudge.trade.domain.TradeFacts.Reminders;
import dev.nudge.trade.domain.TradeState;
import dev.nudge.trade.domain.TradeTimers;
import java.time.Instant;

/**
 * A trade row, mapped once by {@link TradeRepository#TABLE}. Its state-machine fields change only
 * through {@link #apply}, which takes what the pure {@code TradeLifecycle}/{@code TradeTimers}
 * computed.
 */
public class Trade {

  public String id;

  public String tenantId;

  public String state;

  public int version;

  public String title;

  public String initiatorId;

  public String counterpartyId;

  public String items;

  public String amount;

  public String source;

  /** The policy snapshot, as shown to clients. */
  public String policy;

  public String awaitingPartyId;

  public String awaitingKind;

  public String awaitingRequestedBy;

  public Instant awaitingSince;

  public Instant awaitingDueAt;

  public int remindersSent;

  public int remindersMax;

  public Instant remindersLastAt;

  public Instant remindersNextAt;

  public Instant silenceAt;

  public boolean overdueNotified;

  public Instant paymentConfirmedAt;

  public Instant shipmentConfirmedAt;

  public Instant receiptConfirmedAt;

  public Instant initiatorCompletedAt;

  public Instant counterpartyCompletedAt;

  public String cancellation;

  public Instant completedAt;

  public Instant createdAt;

  public Instant updatedAt;

  public int eventSeq;

  public Instant timerAt;

  public boolean testClock;

  /** Parsed cancellation (not a column), set by the codec that reads and writes its JSON. */
  public Cancellation cancellationValue;

  public TradeFacts facts(Policy policy) {
    return new TradeFacts(
        TradeState.parse(state).orElseThrow(),
        initiatorId,
        counterpartyId,
        policy,
        awaitingPartyId == null
            ? null
            : new Awaiting(
                awaitingPartyId,
                AwaitKind.parse(awaitingKind),
                awaitingRequestedBy,
                awaitingSince,
                awaitingDueAt),
        new Reminders(remindersSent, remindersMax, remindersLastAt, remindersNextAt),
        new Milestones(paymentConfirmedAt, shipmentConfirmedAt, receiptConfirmedAt),
        new Completions(initiatorCompletedAt, counterpartyCompletedAt),
        cancellationValue,
        completedAt,
        silenceAt,
        overdueNotified);
  }

  public void apply(TradeFacts t, Instant at) {
    state = t.state().wire();
    Awaiting a = t.awaiting();
    awaitingPartyId = a == null ? null : a.partyId();
    awaitingKind = a == null ? null : a.kind().wire();
    awaitingRequestedBy = a == null ? null : a.requestedBy();
    awaitingSince = a == null ? null : a.since();
    awaitingDueAt = a == null ? null : a.dueAt();
    remindersSent = t.reminders().sent();
    remindersMax = t.reminders().max();
    remindersLastAt = t.reminders().lastAt();
    remindersNextAt = t.reminders().nextAt();
    silenceAt = t.silenceAt();
    overdueNotified = t.overdueNotified();
    paymentConfirmedAt = t.milestones().paymentConfirmedAt();
    shipmentConfirmedAt = t.milestones().shipmentConfirmedAt();
    receiptConfirmedAt = t.milestones().receiptConfirmedAt();
    initiatorCompletedAt = t.completions().initiator();
    counterpartyCompletedAt = t.completions().counterparty();
    cancellationValue = t.cancellation();
    completedAt = t.completedAt();
    timerAt = TradeTimers.nextAt(t).orElse(null);
    updatedAt = at;
  }
}
