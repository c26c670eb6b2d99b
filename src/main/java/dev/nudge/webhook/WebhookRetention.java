package dev.nudge.webhook;

import dev.nudge.event.EventReferences;
import dev.nudge.event.RetentionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The webhook tables' part of retention (SPEC §4): deliveries reference events, and attempts
 * reference deliveries, so both go before their events; attempts also go once older than the
 * retention period on their own. An attempt is stamped on its tenant's clock, like its event, so it
 * ages on that clock too.
 */
@ApplicationScoped
public class WebhookRetention implements EventReferences {

  private final RetentionConfig config;

  public WebhookRetention(RetentionConfig config) {
    this.config = config;
  }

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

  /**
   * Attempts past retention on their tenant's clock ({@code cutoff} is the live tenants'; a
   * test-mode tenant's attempts age on its test clock, as they are stamped on it). One probe of the
   * oldest attempt per endpoint finds the endpoints with something to remove, so a round costs
   * little when there is nothing to do.
   */
  @Override
  public int removeBefore(Connection c, Instant cutoff, int limit) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "with ep as (select ep.id, coalesce(t.clock_now - ? * interval '1 second', ?) as cutoff"
                + " from webhook_endpoint ep join tenant t on t.id = ep.tenant_id),"
                + " expired as (select ep.id, ep.cutoff from ep where (select a.attempted_at"
                + " from webhook_attempt a where a.endpoint_id = ep.id order by a.id limit 1)"
                + " < ep.cutoff),"
                + " victims as (select e.id as endpoint_id, x.id from expired e cross join lateral"
                + " (select a.id from webhook_attempt a where a.endpoint_id = e.id"
                + " and a.attempted_at < e.cutoff order by a.id limit ?) x limit ?)"
                // By the table's primary key, (endpoint_id, id).
                + " delete from webhook_attempt where (endpoint_id, id) in"
                + " (select endpoint_id, id from victims)")) {
      ps.setLong(1, config.retention().toSeconds());
      ps.setObject(2, cutoff.atOffset(ZoneOffset.UTC));
      ps.setInt(3, limit);
      ps.setInt(4, limit);
      return ps.executeUpdate();
    }
  }
}
