package dev.nudge.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.ids.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.Session;

/**
 * Writes events in the caller's transaction, so an event exists exactly when its change committed.
 * Delivery (webhooks) and the pull feed read them afterwards.
 */
@ApplicationScoped
public class EventOutbox {

  /**
   * One row per event, sent as a JDBC batch: the driver rewrites it into multi-row inserts ({@code
   * reWriteBatchedInserts}), so the data travels as plain parameters and PostgreSQL parses each
   * event's JSON once. Positions follow the batch's order.
   */
  private static final String INSERT =
      "insert into event (id, tenant_id, type, subject_kind, subject_id, sequence, party_ids,"
          + " created_at, data) values (?, ?, ?, ?, ?, ?, ?, ?, ?::json)";

  private final EntityManager em;
  private final ObjectMapper json;

  public EventOutbox(EntityManager em, ObjectMapper json) {
    this.em = em;
    this.json = json;
  }

  public String append(EventDraft event) {
    return appendAll(List.of(event)).get(0);
  }

  /** Appends events in one statement; returns their ids in order. */
  public List<String> appendAll(List<EventDraft> events) {
    if (events.isEmpty()) {
      return List.of();
    }
    em.flush();
    return em.unwrap(Session.class).doReturningWork(c -> appendAll(c, events));
  }

  /**
   * Appends events on {@code c}, in the transaction the caller holds open on it, in one statement
   * (positions follow the list's order); returns their ids in order.
   */
  public List<String> appendAll(Connection c, List<EventDraft> events) throws SQLException {
    if (events.isEmpty()) {
      return List.of();
    }
    List<String> ids = new ArrayList<>(events.size());
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (EventDraft e : events) {
        String id = Ids.generate("evt");
        ids.add(id);
        ps.setString(1, id);
        ps.setString(2, e.tenantId());
        ps.setString(3, e.type());
        ps.setString(4, e.subjectKind());
        ps.setString(5, e.subjectId());
        ps.setInt(6, e.sequence());
        ps.setArray(7, c.createArrayOf("text", e.partyIds().toArray()));
        ps.setObject(8, e.createdAt().atOffset(ZoneOffset.UTC));
        ps.setString(9, serialize(e));
        ps.addBatch();
      }
      ps.executeBatch();
    }
    return ids;
  }

  private String serialize(EventDraft e) {
    if (e.data() instanceof RawJson raw) {
      return raw.json();
    }
    try {
      return json.writeValueAsString(e.data());
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("event data not serializable: " + e.type(), ex);
    }
  }
}
