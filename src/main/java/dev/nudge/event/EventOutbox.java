package dev.nudge.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.ids.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
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
          + " created_at, data) values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)";

  private final EntityManager em;
  private final ObjectMapper json;

  public EventOutbox(EntityManager em, ObjectMapper json) {
    this.em = em;
    this.json = json;
  }

  public String append(EventDraft event) {
    return appendAll(List.of(event)).get(0);
  }

  /** Appends events in one JDBC batch; returns their ids in order. */
  public List<String> appendAll(List<EventDraft> events) {
    if (events.isEmpty()) {
      return List.of();
    }
    List<String> ids = new ArrayList<>(events.size());
    List<String> bodies = new ArrayList<>(events.size());
    for (EventDraft e : events) {
      ids.add(Ids.generate("evt"));
      try {
        bodies.add(json.writeValueAsString(e.data()));
      } catch (JsonProcessingException ex) {
        throw new IllegalStateException("event data not serializable: " + e.type(), ex);
      }
    }
    em.flush();
    em.unwrap(Session.class)
        .doWork(
            c -> {
              try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (int i = 0; i < events.size(); i++) {
                  EventDraft e = events.get(i);
                  ps.setString(1, ids.get(i));
                  ps.setString(2, e.tenantId());
                  ps.setString(3, e.type());
                  ps.setString(4, e.subjectKind());
                  ps.setString(5, e.subjectId());
                  ps.setInt(6, e.sequence());
                  ps.setArray(7, c.createArrayOf("text", e.partyIds().toArray()));
                  ps.setTimestamp(8, Timestamp.from(e.createdAt()));
                  ps.setString(9, bodies.get(i));
                  ps.addBatch();
                }
                ps.executeBatch();
              }
            });
    return ids;
  }
}
