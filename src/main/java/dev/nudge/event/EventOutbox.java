package dev.nudge.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.db.JsonRows;
import dev.nudge.common.ids.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.Session;

/**
 * Writes events in the caller's transaction, so an event exists exactly when its change committed.
 * Delivery (webhooks) and the pull feed read them afterwards.
 */
@ApplicationScoped
public class EventOutbox {

  private static final String INSERT =
      "insert into event (id, tenant_id, type, subject_kind, subject_id, sequence, party_ids,"
          + " created_at, data)"
          + " select id, tenant_id, type, subject_kind, subject_id, sequence, party_ids,"
          + " created_at, data from rows from (json_to_recordset(?::json) as (id text,"
          + " tenant_id text, type text, subject_kind text, subject_id text, sequence int,"
          + " party_ids text[], created_at timestamptz, data json)) with ordinality"
          + " as x(id, tenant_id, type, subject_kind, subject_id, sequence, party_ids,"
          + " created_at, data, n) order by n";

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
    JsonRows rows = new JsonRows(json);
    for (EventDraft e : events) {
      String id = Ids.generate("evt");
      ids.add(id);
      rows.row()
          .put("id", id)
          .put("tenant_id", e.tenantId())
          .put("type", e.type())
          .put("subject_kind", e.subjectKind())
          .put("subject_id", e.subjectId())
          .put("sequence", e.sequence())
          .put("party_ids", e.partyIds())
          .put("created_at", e.createdAt())
          .putJson("data", serialize(e));
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      ps.setString(1, rows.json());
      ps.executeUpdate();
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
