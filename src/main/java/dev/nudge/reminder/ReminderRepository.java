package dev.nudge.reminder;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ReminderRepository implements PanacheRepositoryBase<Reminder, String> {

  public List<Reminder> forTrade(String tradeId, String afterId, int limit) {
    return (afterId == null
            ? find("tradeId = ?1", Sort.by("id"), tradeId)
            : find("tradeId = ?1 and id > ?2", Sort.by("id"), tradeId, afterId))
        .page(0, limit + 1)
        .list();
  }

  public List<Reminder> forParty(String partyId, String status, String afterId, int limit) {
    StringBuilder q = new StringBuilder("toPartyId = ?1");
    List<Object> params = new ArrayList<>(List.of(partyId));
    if (status != null) {
      params.add(status);
      q.append(" and status = ?").append(params.size());
    }
    if (afterId != null) {
      params.add(afterId);
      q.append(" and id > ?").append(params.size());
    }
    return find(q.toString(), Sort.by("id"), params.toArray()).page(0, limit + 1).list();
  }

  /** The deferred record of a trade's pending reminder, which the timer turns into the sent one. */
  public Optional<Reminder> pending(String tradeId, java.time.Instant scheduledFor) {
    return find(
            "tradeId = ?1 and scheduledFor = ?2 and status = ?3",
            tradeId,
            scheduledFor,
            Reminder.DEFERRED)
        .firstResultOptional();
  }
}
