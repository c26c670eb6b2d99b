package dev.nudge.webhook;

import static dev.nudge.webhook.WebhookEndpointRepository.instant;
import static dev.nudge.webhook.WebhookEndpointRepository.ts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.event.EventEnvelope;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The delivery queue in PostgreSQL: fan-out of new events into deliveries, claiming due ones with
 * {@code SKIP LOCKED} and a lease, and recording each attempt's outcome. Every method is its own
 * short transaction; no HTTP happens inside one.
 */
@ApplicationScoped
public class DeliveryStore {

  /** A claimed delivery with everything needed to send it. */
  public record Claimed(
      long id,
      String endpointId,
      String url,
      List<String> secrets,
      String eventId,
      String eventType,
      String body,
      int attemptsMade) {}

  /** What one HTTP attempt came to. */
  public record Outcome(
      boolean success,
      Integer httpStatus,
      int durationMs,
      String response,
      String error,
      Duration retryAfter) {

    boolean gone() {
      return httpStatus != null && httpStatus == 410;
    }
  }

  private final AgroalDataSource db;
  private final ObjectMapper json;

  public DeliveryStore(AgroalDataSource db, ObjectMapper json) {
    this.db = db;
    this.json = json;
  }

  /**
   * Turns the next committed events (in feed order, see EventFeed) into deliveries for every
   * matching endpoint; returns how many events were read. Replicas take turns via the cursor lock.
   */
  public int fanOut(int batchSize, Instant now) {
    return tx(
        () -> {
          try (Connection c = db.getConnection()) {
            String txid;
            long position;
            try (PreparedStatement ps =
                    c.prepareStatement(
                        "select txid::text, position from webhook_fanout_cursor where id = 1"
                            + " for update skip locked");
                ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return 0;
              }
              txid = rs.getString(1);
              position = rs.getLong(2);
            }
            List<Long> positions = new ArrayList<>();
            String lastTxid = txid;
            long lastPosition = position;
            try (PreparedStatement ps =
                c.prepareStatement(
                    "select txid::text, position from event"
                        + " where (txid, position) > (?::xid8, ?)"
                        + " and txid < pg_snapshot_xmin(pg_current_snapshot())"
                        // Qualified: a bare "txid" would mean the text column and sort as text.
                        + " order by event.txid, event.position limit ?")) {
              ps.setString(1, txid);
              ps.setLong(2, position);
              ps.setInt(3, batchSize);
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  lastTxid = rs.getString(1);
                  lastPosition = rs.getLong(2);
                  positions.add(lastPosition);
                }
              }
            }
            if (positions.isEmpty()) {
              return 0;
            }
            try (PreparedStatement ps =
                c.prepareStatement(
                    "insert into webhook_delivery (endpoint_id, tenant_id, event_id, origin,"
                        + " status, next_attempt_at, created_at, updated_at)"
                        + " select ep.id, ev.tenant_id, ev.id, 'event', 'pending', ?, ?, ?"
                        + " from event ev join webhook_endpoint ep on ep.tenant_id = ev.tenant_id"
                        + " where ev.position = any (?) and ep.status = 'enabled'"
                        + " and ev.position > ep.created_position"
                        + " and ev.type like any (ep.type_patterns)"
                        + " and (ep.party_id is null or ev.party_ids @> array[ep.party_id])"
                        + " order by ev.txid, ev.position")) {
              ps.setTimestamp(1, ts(now));
              ps.setTimestamp(2, ts(now));
              ps.setTimestamp(3, ts(now));
              ps.setArray(4, c.createArrayOf("bigint", positions.toArray()));
              ps.executeUpdate();
            }
            try (PreparedStatement ps =
                c.prepareStatement(
                    "update webhook_fanout_cursor set txid = ?::xid8, position = ? where id = 1")) {
              ps.setString(1, lastTxid);
              ps.setLong(2, lastPosition);
              ps.executeUpdate();
            }
            return positions.size();
          }
        });
  }

  /**
   * Claims up to {@code limit} due deliveries of enabled endpoints, skipping rows other replicas
   * hold and endpoints this replica has saturated; the lease lets another replica retake them if
   * this one dies.
   */
  public List<Claimed> claim(
      int limit, Collection<String> skipEndpoints, Instant now, Instant leaseUntil) {
    return tx(
        () -> {
          try (Connection c = db.getConnection()) {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps =
                c.prepareStatement(
                    "with due as (select d.id from webhook_delivery d"
                        + " join webhook_endpoint ep on ep.id = d.endpoint_id"
                        + " where d.status = 'pending' and d.next_attempt_at <= ?"
                        + " and (d.lease_until is null or d.lease_until < ?)"
                        + " and ep.status = 'enabled' and d.endpoint_id <> all (?)"
                        + " order by d.next_attempt_at, d.id limit ? for update of d skip locked)"
                        + " update webhook_delivery d set lease_until = ? from due"
                        + " where d.id = due.id returning d.id")) {
              ps.setTimestamp(1, ts(now));
              ps.setTimestamp(2, ts(now));
              ps.setArray(3, c.createArrayOf("text", skipEndpoints.toArray()));
              ps.setInt(4, limit);
              ps.setTimestamp(5, ts(leaseUntil));
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  ids.add(rs.getLong(1));
                }
              }
            }
            if (ids.isEmpty()) {
              return List.of();
            }
            List<Claimed> out = new ArrayList<>();
            try (PreparedStatement ps =
                c.prepareStatement(
                    "select d.id, d.endpoint_id, ep.url, ep.secret, ep.previous_secret,"
                        + " ep.previous_secret_expires_at, ev.id, ev.type, ev.created_at,"
                        + " ev.subject_kind, ev.subject_id, ev.sequence, ev.data::text,"
                        + " d.attempts from webhook_delivery d"
                        + " join webhook_endpoint ep on ep.id = d.endpoint_id"
                        + " join event ev on ev.id = d.event_id where d.id = any (?)"
                        + " order by d.next_attempt_at, d.id")) {
              ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  List<String> secrets = new ArrayList<>(List.of(rs.getString(4)));
                  Instant previousUntil = instant(rs.getTimestamp(6));
                  if (rs.getString(5) != null
                      && previousUntil != null
                      && previousUntil.isAfter(now)) {
                    secrets.add(rs.getString(5));
                  }
                  EventEnvelope envelope =
                      new EventEnvelope(
                          rs.getString(7),
                          rs.getString(8),
                          rs.getTimestamp(9).toInstant(),
                          new EventEnvelope.Subject(rs.getString(10), rs.getString(11)),
                          rs.getInt(12),
                          rs.getString(13));
                  out.add(
                      new Claimed(
                          rs.getLong(1),
                          rs.getString(2),
                          rs.getString(3),
                          secrets,
                          envelope.id(),
                          envelope.type(),
                          json.writeValueAsString(envelope),
                          rs.getInt(14)));
                }
              }
            }
            return out;
          }
        });
  }

  /** Gives claims back at once (this replica has no capacity for them now). */
  public void release(List<Long> ids) {
    tx(
        () -> {
          try (Connection c = db.getConnection();
              PreparedStatement ps =
                  c.prepareStatement(
                      "update webhook_delivery set lease_until = null where id = any (?)")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            return ps.executeUpdate();
          }
        });
  }

  /**
   * Records an attempt and moves the delivery on: succeeded, due again at {@code nextAttemptAt}, or
   * failed. Also keeps the endpoint's failure run and disables it on 410 or after {@code
   * disableAfter} of continuous failure.
   */
  public void record(
      Claimed d, Outcome o, Instant attemptedAt, Instant nextAttemptAt, Duration disableAfter) {
    String status = o.success() ? "succeeded" : nextAttemptAt == null ? "failed" : "pending";
    tx(
        () -> {
          try (Connection c = db.getConnection()) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "insert into webhook_attempt (delivery_id, endpoint_id, event_id, event_type,"
                        + " attempt, status, http_status, duration_ms, response_body, error,"
                        + " attempted_at, next_attempt_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                        + " ?, ?)")) {
              ps.setLong(1, d.id());
              ps.setString(2, d.endpointId());
              ps.setString(3, d.eventId());
              ps.setString(4, d.eventType());
              ps.setInt(5, d.attemptsMade() + 1);
              ps.setString(6, o.success() ? "succeeded" : "failed");
              ps.setObject(7, o.httpStatus());
              ps.setInt(8, o.durationMs());
              ps.setString(9, o.response());
              ps.setString(10, o.error());
              ps.setTimestamp(11, ts(attemptedAt));
              ps.setTimestamp(12, ts(nextAttemptAt));
              ps.executeUpdate();
            }
            try (PreparedStatement ps =
                c.prepareStatement(
                    "update webhook_delivery set status = ?, attempts = attempts + 1,"
                        + " next_attempt_at = ?, lease_until = null, updated_at = ? where id = ?")) {
              ps.setString(1, status);
              ps.setTimestamp(2, ts(nextAttemptAt));
              ps.setTimestamp(3, ts(attemptedAt));
              ps.setLong(4, d.id());
              ps.executeUpdate();
            }
            updateHealth(c, d.endpointId(), o, attemptedAt, disableAfter);
            return null;
          }
        });
  }

  private static void updateHealth(
      Connection c, String endpointId, Outcome o, Instant at, Duration disableAfter)
      throws SQLException {
    if (o.success()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "update webhook_endpoint set failing_since = null"
                  + " where id = ? and failing_since is not null")) {
        ps.setString(1, endpointId);
        ps.executeUpdate();
      }
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "update webhook_endpoint set failing_since = coalesce(failing_since, ?),"
                + " status = case when ? or coalesce(failing_since, ?) <= ? then 'disabled'"
                + " else status end,"
                + " disabled_reason = case when ? then 'gone'"
                + " when coalesce(failing_since, ?) <= ? then 'failing' else disabled_reason end,"
                + " version = version + case when ? or coalesce(failing_since, ?) <= ? then 1"
                + " else 0 end"
                + " where id = ? and status = 'enabled'")) {
      Instant cutoff = at.minus(disableAfter);
      ps.setTimestamp(1, ts(at));
      ps.setBoolean(2, o.gone());
      ps.setTimestamp(3, ts(at));
      ps.setTimestamp(4, ts(cutoff));
      ps.setBoolean(5, o.gone());
      ps.setTimestamp(6, ts(at));
      ps.setTimestamp(7, ts(cutoff));
      ps.setBoolean(8, o.gone());
      ps.setTimestamp(9, ts(at));
      ps.setTimestamp(10, ts(cutoff));
      ps.setString(11, endpointId);
      ps.executeUpdate();
    }
  }

  private static <T> T tx(Callable<T> work) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              try {
                return work.call();
              } catch (SQLException | JsonProcessingException e) {
                throw new IllegalStateException("webhook delivery query failed", e);
              }
            });
  }
}
