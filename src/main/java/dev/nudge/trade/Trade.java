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
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import jakarta.persistence.Version;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A trade row. Its state-machine fields change only through {@link #apply}, which takes what the
 * pure {@code TradeLifecycle}/{@code TradeTimers} computed.
 */
@Entity
@Table(name = "trade")
public class Trade {

  @Id public String id;

  @Column(name = "tenant_id", nullable = false)
  public String tenantId;

  @Column(nullable = false)
  public String state;

  @Version public int version;

  @Column(nullable = false)
  public String title;

  @Column(name = "initiator_id", nullable = false)
  public String initiatorId;

  @Column(name = "counterparty_id", nullable = false)
  public String counterpartyId;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  public String items;

  @JdbcTypeCode(SqlTypes.JSON)
  public String amount;

  @JdbcTypeCode(SqlTypes.JSON)
  public String source;

  /** The policy snapshot, as shown to clients. */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  public String policy;

  @Column(name = "awaiting_party_id")
  public String awaitingPartyId;

  @Column(name = "awaiting_kind")
  public String awaitingKind;

  @Column(name = "awaiting_requested_by")
  public String awaitingRequestedBy;

  @Column(name = "awaiting_since")
  public Instant awaitingSince;

  @Column(name = "awaiting_due_at")
  public Instant awaitingDueAt;

  @Column(name = "reminders_sent", nullable = false)
  public int remindersSent;

  @Column(name = "reminders_max", nullable = false)
  public int remindersMax;

  @Column(name = "reminders_last_at")
  public Instant remindersLastAt;

  @Column(name = "reminders_next_at")
  public Instant remindersNextAt;

  @Column(name = "silence_at")
  public Instant silenceAt;

  @Column(name = "overdue_notified", nullable = false)
  public boolean overdueNotified;

  @Column(name = "payment_confirmed_at")
  public Instant paymentConfirmedAt;

  @Column(name = "shipment_confirmed_at")
  public Instant shipmentConfirmedAt;

  @Column(name = "receipt_confirmed_at")
  public Instant receiptConfirmedAt;

  @Column(name = "initiator_completed_at")
  public Instant initiatorCompletedAt;

  @Column(name = "counterparty_completed_at")
  public Instant counterpartyCompletedAt;

  @JdbcTypeCode(SqlTypes.JSON)
  public String cancellation;

  @Column(name = "completed_at")
  public Instant completedAt;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;

  @Column(name = "event_seq", nullable = false)
  public int eventSeq;

  @Column(name = "timer_at")
  public Instant timerAt;

  @Column(name = "test_clock", nullable = false)
  public boolean testClock;

  /** Parsed cancellation, set by the service that reads and writes its JSON. */
  @Transient public Cancellation cancellationValue;

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
