package dev.nudge.webhook;

import dev.nudge.event.EventTypes;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Endpoints and their attempt log, in plain SQL; joins the caller's transaction. */
@ApplicationScoped
public class WebhookEndpointRepository {

  private static final String COLUMNS =
      "id, tenant_id, url, description, event_types, party_id, secret, previous_secret,"
          + " previous_secret_expires_at, status, disabled_reason, failing_since, created_at,"
          + " updated_at, version";

  private final AgroalDataSource db;

  public WebhookEndpointRepository(AgroalDataSource db) {
    this.db = db;
  }

  public void insert(WebhookEndpoint e) {
    String sql =
        "insert into webhook_endpoint (id, tenant_id, url, description, event_types,"
            + " type_patterns, party_id, secret, status, created_position, created_at,"
            + " updated_at, version) values (?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " (select coalesce(max(position), 0) from event), ?, ?, ?)";
    run(
        sql,
        (c, ps) -> {
          ps.setString(1, e.id);
          ps.setString(2, e.tenantId);
          ps.setString(3, e.url);
          ps.setString(4, e.description);
          ps.setArray(5, text(c, e.eventTypes));
          ps.setArray(6, text(c, e.eventTypes.stream().map(EventTypes::toLike).toList()));
          ps.setString(7, e.partyId);
          ps.setString(8, e.secret);
          ps.setString(9, e.status);
          ps.setTimestamp(10, ts(e.createdAt));
          ps.setTimestamp(11, ts(e.updatedAt));
          ps.setInt(12, e.version);
          ps.executeUpdate();
          return null;
        });
  }

  /** The endpoint locked for update, unless deleted or another tenant's. */
  public Optional<WebhookEndpoint> findForUpdate(String tenantId, String id) {
    return find(tenantId, id, " for update");
  }

  public Optional<WebhookEndpoint> find(String tenantId, String id) {
    return find(tenantId, id, "");
  }

  private Optional<WebhookEndpoint> find(String tenantId, String id, String lock) {
    String sql =
        "select "
            + COLUMNS
            + " from webhook_endpoint where tenant_id = ? and id = ? and status <> 'deleted'"
            + lock;
    return run(
        sql,
        (c, ps) -> {
          ps.setString(1, tenantId);
          ps.setString(2, id);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
          }
        });
  }

  public List<WebhookEndpoint> page(String tenantId, String afterId, int limit) {
    String sql =
        "select "
            + COLUMNS
            + " from webhook_endpoint where tenant_id = ? and status <> 'deleted' and id > ?"
            + " order by id limit ?";
    return run(
        sql,
        (c, ps) -> {
          ps.setString(1, tenantId);
          ps.setString(2, afterId == null ? "" : afterId);
          ps.setInt(3, limit + 1);
          List<WebhookEndpoint> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(map(rs));
            }
          }
          return out;
        });
  }

  public void update(WebhookEndpoint e) {
    String sql =
        "update webhook_endpoint set url = ?, description = ?, event_types = ?,"
            + " type_patterns = ?, party_id = ?, secret = ?, previous_secret = ?,"
            + " previous_secret_expires_at = ?, status = ?, disabled_reason = ?,"
            + " failing_since = ?, updated_at = ?, version = version + 1 where id = ?"
            + " returning version";
    run(
        sql,
        (c, ps) -> {
          ps.setString(1, e.url);
          ps.setString(2, e.description);
          ps.setArray(3, text(c, e.eventTypes));
          ps.setArray(4, text(c, e.eventTypes.stream().map(EventTypes::toLike).toList()));
          ps.setString(5, e.partyId);
          ps.setString(6, e.secret);
          ps.setString(7, e.previousSecret);
          ps.setTimestamp(8, ts(e.previousSecretExpiresAt));
          ps.setString(9, e.status);
          ps.setString(10, e.disabledReason);
          ps.setTimestamp(11, ts(e.failingSince));
          ps.setTimestamp(12, ts(e.updatedAt));
          ps.setString(13, e.id);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            e.version = rs.getInt(1);
          }
          return null;
        });
  }

  public record AttemptRow(
      long id,
      String eventId,
      String eventType,
      int attempt,
      String status,
      Integer httpStatus,
      int durationMs,
      String response,
      String error,
      Instant attemptedAt,
      Instant nextAttemptAt) {}

  /** Newest first. */
  public List<AttemptRow> attempts(String endpointId, Long beforeId, int limit) {
    String sql =
        "select id, event_id, event_type, attempt, status, http_status, duration_ms,"
            + " response_body, error, attempted_at, next_attempt_at from webhook_attempt"
            + " where endpoint_id = ? and id < ? order by id desc limit ?";
    return run(
        sql,
        (c, ps) -> {
          ps.setString(1, endpointId);
          ps.setLong(2, beforeId == null ? Long.MAX_VALUE : beforeId);
          ps.setInt(3, limit + 1);
          List<AttemptRow> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              int code = rs.getInt(6);
              Integer http = rs.wasNull() ? null : code;
              out.add(
                  new AttemptRow(
                      rs.getLong(1),
                      rs.getString(2),
                      rs.getString(3),
                      rs.getInt(4),
                      rs.getString(5),
                      http,
                      rs.getInt(7),
                      rs.getString(8),
                      rs.getString(9),
                      instant(rs.getTimestamp(10)),
                      instant(rs.getTimestamp(11))));
            }
          }
          return out;
        });
  }

  /** New deliveries of the endpoint's matching events created at or after {@code since}. */
  public int enqueueReplay(WebhookEndpoint e, Instant since, Instant now) {
    String sql =
        "insert into webhook_delivery (endpoint_id, tenant_id, event_id, origin, status,"
            + " next_attempt_at, created_at, updated_at)"
            + " select ep.id, ep.tenant_id, ev.id, 'replay', 'pending', ?, ?, ?"
            + " from webhook_endpoint ep join event ev on ev.tenant_id = ep.tenant_id"
            + " where ep.id = ? and ev.created_at >= ? and ev.type like any (ep.type_patterns)"
            + " and (ep.party_id is null or ev.party_ids @> array[ep.party_id])"
            + " order by ev.txid, ev.position";
    return run(
        sql,
        (c, ps) -> {
          ps.setTimestamp(1, ts(now));
          ps.setTimestamp(2, ts(now));
          ps.setTimestamp(3, ts(now));
          ps.setString(4, e.id);
          ps.setTimestamp(5, ts(since));
          return ps.executeUpdate();
        });
  }

  /** New deliveries of one event to every enabled endpoint of its tenant that subscribes to it. */
  public int enqueueRedelivery(String tenantId, String eventId, Instant now) {
    String sql =
        "insert into webhook_delivery (endpoint_id, tenant_id, event_id, origin, status,"
            + " next_attempt_at, created_at, updated_at)"
            + " select ep.id, ep.tenant_id, ev.id, 'redeliver', 'pending', ?, ?, ?"
            + " from event ev join webhook_endpoint ep on ep.tenant_id = ev.tenant_id"
            + " where ev.tenant_id = ? and ev.id = ? and ep.status = 'enabled'"
            + " and ev.type like any (ep.type_patterns)"
            + " and (ep.party_id is null or ev.party_ids @> array[ep.party_id])";
    return run(
        sql,
        (c, ps) -> {
          ps.setTimestamp(1, ts(now));
          ps.setTimestamp(2, ts(now));
          ps.setTimestamp(3, ts(now));
          ps.setString(4, tenantId);
          ps.setString(5, eventId);
          return ps.executeUpdate();
        });
  }

  public boolean partyExists(String tenantId, String partyId) {
    return run(
        "select 1 from party where tenant_id = ? and id = ?",
        (c, ps) -> {
          ps.setString(1, tenantId);
          ps.setString(2, partyId);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
          }
        });
  }

  public boolean eventExists(String tenantId, String eventId) {
    return run(
        "select 1 from event where tenant_id = ? and id = ?",
        (c, ps) -> {
          ps.setString(1, tenantId);
          ps.setString(2, eventId);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
          }
        });
  }

  private static WebhookEndpoint map(ResultSet rs) throws SQLException {
    WebhookEndpoint e = new WebhookEndpoint();
    e.id = rs.getString(1);
    e.tenantId = rs.getString(2);
    e.url = rs.getString(3);
    e.description = rs.getString(4);
    e.eventTypes = Arrays.asList((String[]) rs.getArray(5).getArray());
    e.partyId = rs.getString(6);
    e.secret = rs.getString(7);
    e.previousSecret = rs.getString(8);
    e.previousSecretExpiresAt = instant(rs.getTimestamp(9));
    e.status = rs.getString(10);
    e.disabledReason = rs.getString(11);
    e.failingSince = instant(rs.getTimestamp(12));
    e.createdAt = instant(rs.getTimestamp(13));
    e.updatedAt = instant(rs.getTimestamp(14));
    e.version = rs.getInt(15);
    return e;
  }

  static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }

  static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  static Array text(Connection c, List<String> values) throws SQLException {
    return c.createArrayOf("text", values.toArray());
  }

  interface Work<T> {
    T run(Connection c, PreparedStatement ps) throws SQLException;
  }

  private <T> T run(String sql, Work<T> work) {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      return work.run(c, ps);
    } catch (SQLException e) {
      throw new IllegalStateException("webhook endpoint query failed", e);
    }
  }
}
