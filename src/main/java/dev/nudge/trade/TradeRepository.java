package dev.nudge.trade;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class TradeRepository implements PanacheRepositoryBase<Trade, String> {

  public Optional<Trade> find(String tenantId, String id) {
    return find("tenantId = ?1 and id = ?2", tenantId, id).firstResultOptional();
  }

  /** Loads the trade with a row lock, so concurrent actions on it run one after another. */
  public Optional<Trade> lock(String tenantId, String id) {
    return find("tenantId = ?1 and id = ?2", tenantId, id)
        .withLock(LockModeType.PESSIMISTIC_WRITE)
        .firstResultOptional();
  }

  public List<Trade> page(
      String tenantId, String state, String partyId, String afterId, int limit) {
    StringBuilder q = new StringBuilder("from Trade where tenantId = :tenant");
    if (state != null) {
      q.append(" and state = :state");
    }
    if (partyId != null) {
      q.append(" and (initiatorId = :party or counterpartyId = :party)");
    }
    if (afterId != null) {
      q.append(" and id > :after");
    }
    q.append(" order by id");
    TypedQuery<Trade> query =
        getEntityManager().createQuery(q.toString(), Trade.class).setParameter("tenant", tenantId);
    if (state != null) {
      query.setParameter("state", state);
    }
    if (partyId != null) {
      query.setParameter("party", partyId);
    }
    if (afterId != null) {
      query.setParameter("after", afterId);
    }
    return query.setMaxResults(limit + 1).getResultList();
  }

  public List<TradeHistory> history(String tradeId, Long afterId, int limit) {
    return getEntityManager()
        .createQuery(
            "from TradeHistory where tradeId = ?1 and id > ?2 order by id", TradeHistory.class)
        .setParameter(1, tradeId)
        .setParameter(2, afterId == null ? 0L : afterId)
        .setMaxResults(limit + 1)
        .getResultList();
  }

  public void record(TradeHistory entry) {
    getEntityManager().persist(entry);
  }

  /** Deletes the trade's reminder record deferred to {@code scheduledFor}, if there is one. */
  public void withdrawDeferredReminder(String tradeId, java.time.Instant scheduledFor) {
    getEntityManager()
        .createNativeQuery(
            "delete from reminder where trade_id = ?1 and status = 'deferred'"
                + " and scheduled_for = ?2")
        .setParameter(1, tradeId)
        .setParameter(2, scheduledFor)
        .executeUpdate();
  }
}
