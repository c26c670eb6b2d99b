package dev.nudge.trade;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.trade.TradeViews.AwaitingView;
import dev.nudge.trade.TradeViews.CancellationView;
import dev.nudge.trade.TradeViews.CompletionsView;
import dev.nudge.trade.TradeViews.MilestonesView;
import dev.nudge.trade.TradeViews.RemindersView;
import dev.nudge.trade.TradeViews.TradeView;
import dev.nudge.trade.domain.Policy;
import dev.nudge.trade.domain.TradeFacts;
import dev.nudge.trade.domain.TradeFacts.Cancellation;
import dev.nudge.trade.domain.TradeLifecycle;
import dev.nudge.trade.policy.PolicyViews.PolicySnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Turns trade rows into domain facts and client views, and their JSON columns back and forth. */
@ApplicationScoped
public class TradeCodec {

  private static final int CACHED_POLICIES = 1000;

  private final ObjectMapper json;
  private final Map<String, PolicySnapshot> snapshots = new ConcurrentHashMap<>();
  private final Map<String, Policy> domains = new ConcurrentHashMap<>();

  public TradeCodec(ObjectMapper json) {
    this.json = json;
  }

  /**
   * The trade's policy snapshot. Snapshots are immutable and shared by many trades, so parsed ones
   * are kept (a bounded cache keyed by the stored JSON) rather than parsed for every row.
   */
  public PolicySnapshot policy(Trade t) {
    PolicySnapshot p = snapshots.get(t.policy);
    if (p == null) {
      if (snapshots.size() >= CACHED_POLICIES) {
        snapshots.clear();
        domains.clear();
      }
      p = read(t.policy, PolicySnapshot.class);
      snapshots.put(t.policy, p);
    }
    return p;
  }

  private Policy domainPolicy(Trade t) {
    Policy p = domains.get(t.policy);
    if (p == null) {
      p = policy(t).toDomain();
      domains.put(t.policy, p);
    }
    return p;
  }

  /** The trade's facts; fills the parsed cancellation on the entity. */
  public TradeFacts facts(Trade t) {
    if (t.cancellationValue == null && t.cancellation != null) {
      CancellationView c = read(t.cancellation, CancellationView.class);
      t.cancellationValue =
          new Cancellation(c.reason(), c.byPartyId(), c.automatic(), c.at(), c.note());
    }
    return t.facts(domainPolicy(t));
  }

  /** Applies new facts to the row, including the cancellation JSON. */
  public void apply(Trade t, TradeFacts after, java.time.Instant at) {
    t.apply(after, at);
    Cancellation c = after.cancellation();
    t.cancellation =
        c == null
            ? null
            : write(
                new CancellationView(c.reason(), c.byPartyId(), c.automatic(), c.at(), c.note()));
  }

  public TradeView view(Trade t) {
    TradeFacts f = facts(t);
    Map<String, List<String>> allowed = new LinkedHashMap<>();
    allowed.put(t.initiatorId, TradeLifecycle.allowedActions(f, t.initiatorId));
    allowed.put(t.counterpartyId, TradeLifecycle.allowedActions(f, t.counterpartyId));
    Cancellation c = f.cancellation();
    return new TradeView(
        t.id,
        t.state,
        t.version,
        t.title,
        t.initiatorId,
        t.counterpartyId,
        t.items,
        t.amount,
        t.source,
        t.policy,
        f.awaiting() == null
            ? null
            : new AwaitingView(
                f.awaiting().partyId(),
                f.awaiting().kind().wire(),
                f.awaiting().requestedBy(),
                f.awaiting().since(),
                f.awaiting().dueAt()),
        new RemindersView(
            f.reminders().sent(),
            f.reminders().max(),
            f.reminders().lastAt(),
            f.reminders().nextAt()),
        new MilestonesView(
            f.milestones().paymentConfirmedAt(),
            f.milestones().shipmentConfirmedAt(),
            f.milestones().receiptConfirmedAt()),
        new CompletionsView(f.completions().initiator(), f.completions().counterparty()),
        c == null
            ? null
            : new CancellationView(c.reason(), c.byPartyId(), c.automatic(), c.at(), c.note()),
        allowed,
        t.completedAt,
        t.createdAt,
        t.updatedAt);
  }

  public String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private <T> T read(String value, Class<T> type) {
    try {
      return json.readValue(value, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored trade JSON unreadable", e);
    }
  }
}
