package dev.nudge.webhook;

import dev.nudge.event.EventReferences;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The webhook tables' part of retention (SPEC §4): deliveries reference events, and attempts
 * reference deliveries, so both go before their events; attempts also go once older than the
 * retention period on their own.
 */
@ApplicationScoped
public class WebhookRetention implements EventReferences {

  @Override
  public int removeFor(Connection c, List<String> eventIds) throws SQLException {
    java.sql.Array ids = c.createArrayOf("text", eventIds.toArray());
    int removed;
    try (PreparedStatement ps =
        c.prepareStatement(
            "delete from webhook_attempt where delivery_id in"
                + " (select id from webhook_delivery where event_id = any(?))")) {
      ps.setArray(1, ids);
      removed = ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement("delete from webhook_delivery where event_id = any(?)")) {
      ps.setArray(1, ids);
      return removed + ps.executeUpdate();
    }
  }

  /** Attempts are numbered in the order they were made: the oldest are a prefix by id. */
  @Override
  public int removeBefore(Connection c, Instant cutoff, int limit) throws SQLException {
    List<Long> ids = new ArrayList<>(limit);
    try (PreparedStatement ps =
        c.prepareStatement("select id, attempted_at from webhook_attempt order by id limit ?")) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next() && rs.getObject(2, OffsetDateTime.class).toInstant().isBefore(cutoff)) {
          ids.add(rs.getLong(1));
        }
      }
    }
    if (ids.isEmpty()) {
      return 0;
    }
    try (PreparedStatement ps =
        c.prepareStatement("delete from webhook_attempt where id = any(?)")) {
      ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
      return ps.executeUpdate();
    }
  }
}
