package dev.nudge.event;

import static dev.nudge.common.db.Table.Write.FIXED;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.db.Jdbc;
import dev.nudge.common.db.Table;
import dev.nudge.common.ids.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes events in the caller's transaction, so an event exists exactly when its change committed.
 * Delivery (webhooks) and the pull feed read them afterwards.
 */
@ApplicationScoped
public class EventOutbox {

  /** An event row as written; the database adds its position and transaction id. */
  static final class Row {
    String id;
    String tenantId;
    String type;
    String subjectKind;
    String subjectId;
    int sequence;
    List<String> partyIds;
    Instant createdAt;
    byte[] data;
  }

  static final Table<Row> TABLE =
      Table.of("event", Row::new)
          .text(FIXED, "id", r -> r.id, (r, v) -> r.id = v)
          .text(FIXED, "tenant_id", r -> r.tenantId, (r, v) -> r.tenantId = v)
          .text(FIXED, "type", r -> r.type, (r, v) -> r.type = v)
          .text(FIXED, "subject_kind", r -> r.subjectKind, (r, v) -> r.subjectKind = v)
          .text(FIXED, "subject_id", r -> r.subjectId, (r, v) -> r.subjectId = v)
          .integer(FIXED, "sequence", r -> r.sequence, (r, v) -> r.sequence = v)
          .texts(FIXED, "party_ids", r -> r.partyIds, (r, v) -> r.partyIds = v)
          .instant(FIXED, "created_at", r -> r.createdAt, (r, v) -> r.createdAt = v)
          .utf8(FIXED, "data", r -> r.data, (r, v) -> r.data = v)
          .build();

  private static final Object SIGNAL_REGISTERED = new Object();

  private final Jdbc jdbc;
  private final ObjectMapper json;
  private final TransactionSynchronizationRegistry transactions;
  private final Event<EventsCommitted> committed;

  public EventOutbox(
      Jdbc jdbc,
      ObjectMapper json,
      TransactionSynchronizationRegistry transactions,
      Event<EventsCommitted> committed) {
    this.jdbc = jdbc;
    this.json = json;
    this.transactions = transactions;
    this.committed = committed;
  }

  public String append(EventDraft event) {
    return appendAll(List.of(event)).get(0);
  }

  /**
   * Appends events in the caller's transaction (a JTA or a plain JDBC one; in a transaction of
   * their own when there is none); returns their ids in order.
   */
  public List<String> appendAll(List<EventDraft> events) {
    if (events.isEmpty()) {
      return List.of();
    }
    return jdbc.transaction(c -> appendAll(c, events));
  }

  /**
   * Appends events on {@code c}, in the transaction the caller holds open on it (positions follow
   * the list's order); returns their ids in order.
   */
  public List<String> appendAll(Connection c, List<EventDraft> events) throws SQLException {
    if (events.isEmpty()) {
      return List.of();
    }
    List<Row> rows = new ArrayList<>(events.size());
    List<String> ids = new ArrayList<>(events.size());
    for (EventDraft e : events) {
      Row r = new Row();
      r.id = Ids.generate("evt");
      r.tenantId = e.tenantId();
      r.type = e.type();
      r.subjectKind = e.subjectKind();
      r.subjectId = e.subjectId();
      r.sequence = e.sequence();
      r.partyIds = e.partyIds();
      r.createdAt = e.createdAt();
      r.data = serialize(e);
      rows.add(r);
      ids.add(r.id);
    }
    TABLE.insert(c, json, rows);
    signalAfterCommit(tenants(events));
    return ids;
  }

  /**
   * Fires {@link EventsCommitted} once the current transaction commits (once per transaction): a
   * JTA transaction, or a plain JDBC one opened by {@link Jdbc#transaction}. Events committed any
   * other way are found by the readers' poll.
   */
  private void signalAfterCommit(Set<String> tenants) {
    if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
      Jdbc.afterCommit(() -> committed.fire(new EventsCommitted(tenants)));
      return;
    }
    @SuppressWarnings("unchecked")
    Set<String> registered = (Set<String>) transactions.getResource(SIGNAL_REGISTERED);
    if (registered != null) {
      registered.addAll(tenants);
      return;
    }
    Set<String> all = new HashSet<>(tenants);
    transactions.putResource(SIGNAL_REGISTERED, all);
    transactions.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
              committed.fire(new EventsCommitted(Set.copyOf(all)));
            }
          }
        });
  }

  private static Set<String> tenants(List<EventDraft> events) {
    String first = events.get(0).tenantId();
    Set<String> more = null;
    for (EventDraft e : events) {
      if (!first.equals(e.tenantId())) {
        more = more == null ? new HashSet<>(Set.of(first)) : more;
        more.add(e.tenantId());
      }
    }
    return more == null ? Set.of(first) : Set.copyOf(more);
  }

  private byte[] serialize(EventDraft e) {
    if (e.data() instanceof RawJson raw) {
      return raw.utf8();
    }
    try {
      // Through a string, as event data has always been written: a lone surrogate (which a
      // client's JSON may hold) is then encoded as the string encoder does, not as the byte
      // generator would write it.
      return json.writeValueAsString(e.data()).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("event data not serializable: " + e.type(), ex);
    }
  }
}
