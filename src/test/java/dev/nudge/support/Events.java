package dev.nudge.support;

import dev.nudge.common.ids.Ids;
import dev.nudge.event.EventDraft;
import dev.nudge.event.EventOutbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Writes events the way a state change would: in its own committed transaction. */
public final class Events {

  private Events() {}

  public static String append(
      EventOutbox outbox, String tenantId, String type, List<String> partyIds) {
    String tradeId = Ids.generate("trd");
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                outbox.append(
                    new EventDraft(
                        tenantId,
                        type,
                        "trade",
                        tradeId,
                        1,
                        partyIds,
                        Instant.now(),
                        Map.of("id", tradeId, "state", "agreed", "title", "Photo card swap"))));
  }

  public static String append(EventOutbox outbox, String tenantId, String type) {
    return append(outbox, tenantId, type, List.of());
  }

  /** Appends {@code count} events of as many trades in one committed transaction. */
  public static List<String> appendMany(
      EventOutbox outbox, String tenantId, String type, int count) {
    List<EventDraft> drafts = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      String tradeId = Ids.generate("trd");
      drafts.add(
          new EventDraft(
              tenantId,
              type,
              "trade",
              tradeId,
              1,
              List.of(),
              Instant.now(),
              Map.of("id", tradeId, "state", "agreed", "title", "Photo card swap " + i)));
    }
    return QuarkusTransaction.requiringNew().call(() -> outbox.appendAll(drafts));
  }

  /**
   * Inserts an event row {@code id} by plain SQL on {@code c}, as a program other than the service
   * would (its own transaction, if {@code c} has one open, decides when it commits).
   */
  public static void insertRow(Connection c, String tenantId, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into event (id, tenant_id, type, subject_kind, subject_id, sequence,"
                + " created_at, data) values (?, ?, 'trade.created', 'trade', ?, 1, now(),"
                + " '{}'::json)")) {
      ps.setString(1, id);
      ps.setString(2, tenantId);
      ps.setString(3, "trd_" + id);
      ps.executeUpdate();
    }
  }
}
