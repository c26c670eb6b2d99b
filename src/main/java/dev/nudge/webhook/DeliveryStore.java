package dev.nudge.webhook;

import static dev.nudge.webhook.WebhookEndpointRepository.ts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.event.EventEnvelope;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The delivery queue in PostgreSQL: claiming due deliveries endpoint by endpoint with {@code SKIP
 * LOCKED} and a lease, renewing and giving back leases, and finding endpoints with due work. Each
 * method is one short transaction of a few set-based statements; no HTTP happens inside one.
 *
 * <p>Due times are on the tenant's clock (a test-mode tenant's deliveries retry when its test clock
 * passes them); leases are on the wall clock, since they are about replicas being alive.
 */
@ApplicationScoped
public class DeliveryStore {

  /** A delivery leased to this replica, with the signed body it is sent with. */
  public record Claimed(
      long id,
      String endpointId,
      String eventId,
      String eventType,
      byte[] body,
      int attemptsMade) {}

  /** What a replica needs to know of an endpoint to send to it. */
  public record EndpointRow(
      String id, String tenantId, String url, List<String> secrets, boolean enabled) {}

  /**
   * Deliveries just leased, the endpoints they go to, and endpoints that have more due deliveries
   * than were leased.
   */
  public record Batch(
      List<Claimed> claimed, Map<String, EndpointRow> endpoints, Set<String> waiting) {
    static final Batch EMPTY = new Batch(List.of(), Map.of(), Set.of());
  }

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
   * Leases up to {@code rooms.get(endpoint)} due deliveries of each enabled endpoint, oldest first,
   * skipping rows other replicas hold; the lease lets another replica retake them if this one dies.
   */
  public Batch claim(Map<String, Integer> rooms, Instant now, Instant leaseUntil) {
    if (rooms.isEmpty()) {
      return Batch.EMPTY;
    }
    return tx(
        c -> {
          List<String> ids = new ArrayList<>(rooms.keySet());
          List<Claimed> claimed = new ArrayList<>();
          Map<String, Integer> counts = new HashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "with w as (select * from unnest(?::text[], ?::int[]) as w(endpoint_id, room)),"
                      + " due as (select d.id from w"
                      + " join webhook_endpoint ep on ep.id = w.endpoint_id"
                      + " join tenant t on t.id = ep.tenant_id"
                      + " cross join lateral (select d.id from webhook_delivery d"
                      + " where d.endpoint_id = w.endpoint_id and d.status = 'pending'"
                      + " and d.next_attempt_at <= coalesce(t.clock_now, ?)"
                      + " and (d.lease_until is null or d.lease_until < ?)"
                      + " order by d.next_attempt_at, d.id limit w.room for update skip locked) d"
                      + " where ep.status = 'enabled'),"
                      + " claimed as (update webhook_delivery d set lease_until = ? from due"
                      + " where d.id = due.id"
                      + " returning d.id, d.endpoint_id, d.event_id, d.attempts, d.next_attempt_at)"
                      + " select c.id, c.endpoint_id, c.attempts, "
                      + envelopeOnce("c.event_id", "c.next_attempt_at, c.id")
                      + " from claimed c join event ev on ev.id = c.event_id"
                      + " order by c.next_attempt_at, c.id")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            ps.setArray(2, c.createArrayOf("int4", ids.stream().map(rooms::get).toArray()));
            ps.setTimestamp(3, ts(now));
            ps.setTimestamp(4, ts(now));
            ps.setTimestamp(5, ts(leaseUntil));
            Map<String, Body> bodies = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                Claimed d = claimed(rs, rs.getLong(1), rs.getString(2), rs.getInt(3), 4, bodies);
                claimed.add(d);
                counts.merge(d.endpointId(), 1, Integer::sum);
              }
            }
          }
          Set<String> waiting = new HashSet<>();
          rooms.forEach(
              (endpoint, room) -> {
                if (counts.getOrDefault(endpoint, 0) >= room) {
                  waiting.add(endpoint);
                }
              });
          return new Batch(claimed, endpoints(c, counts.keySet(), now), waiting);
        });
  }

  /** Gives leased deliveries back at once, so any replica may take them. */
  public void release(Collection<Long> ids) {
    setLease(ids, null);
  }

  /** Moves the lease of deliveries this replica still holds. */
  public void renew(Collection<Long> ids, Instant leaseUntil) {
    setLease(ids, leaseUntil);
  }

  private void setLease(Collection<Long> ids, Instant leaseUntil) {
    if (ids.isEmpty()) {
      return;
    }
    tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "update webhook_delivery set lease_until = ? where id = any (?)"
                      + " and status = 'pending' and lease_until is not null")) {
            ps.setTimestamp(1, ts(leaseUntil));
            ps.setArray(2, c.createArrayOf("bigint", ids.toArray()));
            return ps.executeUpdate();
          }
        });
  }

  /**
   * Enabled endpoints that have due, unleased deliveries, found by walking the queue's index one
   * endpoint at a time: the cost grows with the number of endpoints, not with the queue's length.
   */
  public List<String> dueEndpoints(Instant now, Collection<String> known, int limit) {
    return tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "with recursive lane (endpoint_id) as ("
                      + " (select endpoint_id from webhook_delivery where status = 'pending'"
                      + " order by endpoint_id limit 1)"
                      + " union all select (select d.endpoint_id from webhook_delivery d"
                      + " where d.status = 'pending' and d.endpoint_id > lane.endpoint_id"
                      + " order by d.endpoint_id limit 1) from lane"
                      + " where lane.endpoint_id is not null)"
                      + " select lane.endpoint_id from lane"
                      + " join webhook_endpoint ep on ep.id = lane.endpoint_id"
                      + " join tenant t on t.id = ep.tenant_id where ep.status = 'enabled'"
                      // Endpoints already known to have work are not probed again: theirs is the
                      // probe that walks past many leased deliveries.
                      + " and lane.endpoint_id <> all (?)"
                      + " and exists (select 1 from webhook_delivery d"
                      + " where d.endpoint_id = lane.endpoint_id and d.status = 'pending'"
                      + " and d.next_attempt_at <= coalesce(t.clock_now, ?)"
                      + " and (d.lease_until is null or d.lease_until < ?)) limit ?")) {
            ps.setArray(1, c.createArrayOf("text", known.toArray()));
            ps.setTimestamp(2, ts(now));
            ps.setTimestamp(3, ts(now));
            ps.setInt(4, limit);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getString(1));
              }
            }
            return out;
          }
        });
  }

  /**
   * The tenants with an enabled endpoint (the only ones the fan-out writes deliveries for); null
   * when there are more than {@code limit}.
   */
  public Set<String> subscribedTenants(int limit) {
    return tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select distinct tenant_id from webhook_endpoint where status = 'enabled'"
                      + " limit ?")) {
            ps.setInt(1, limit + 1);
            Set<String> out = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getString(1));
              }
            }
            return out.size() > limit ? null : Set.copyOf(out);
          }
        });
  }

  /** The endpoints as they are now (absent when deleted), for refreshing what lanes send with. */
  public Map<String, EndpointRow> endpoints(Collection<String> ids, Instant now) {
    return ids.isEmpty() ? Map.of() : tx(c -> endpoints(c, ids, now));
  }

  /** The previous secret signs too while its overlap lasts on the tenant's clock. */
  static Map<String, EndpointRow> endpoints(Connection c, Collection<String> ids, Instant now)
      throws SQLException {
    Map<String, EndpointRow> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "select ep.id, ep.tenant_id, ep.url, ep.secret, case when"
                + " ep.previous_secret_expires_at > coalesce(t.clock_now, ?)"
                + " then ep.previous_secret end, ep.status = 'enabled'"
                + " from webhook_endpoint ep join tenant t on t.id = ep.tenant_id"
                + " where ep.id = any (?) and ep.status <> 'deleted'")) {
      ps.setTimestamp(1, ts(now));
      ps.setArray(2, c.createArrayOf("text", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<String> secrets =
              rs.getString(5) == null
                  ? List.of(rs.getString(4))
                  : List.of(rs.getString(4), rs.getString(5));
          out.put(
              rs.getString(1),
              new EndpointRow(
                  rs.getString(1), rs.getString(2), rs.getString(3), secrets, rs.getBoolean(6)));
        }
      }
    }
    return out;
  }

  /**
   * A claimed delivery from a row whose envelope columns start at {@code first}. An event going to
   * several endpoints in one statement is serialized once: {@code bodies} keeps each event's body
   * by id, and a row whose envelope columns are null (the statement sends them only with an event's
   * first row) takes the body from there.
   */
  Claimed claimed(
      ResultSet rs, long id, String endpointId, int attempts, int first, Map<String, Body> bodies)
      throws SQLException {
    String eventId = rs.getString(first);
    Body body = bodies.get(eventId);
    if (body == null) {
      EventEnvelope envelope =
          new EventEnvelope(
              eventId,
              rs.getString(first + 1),
              rs.getTimestamp(first + 2).toInstant(),
              new EventEnvelope.Subject(rs.getString(first + 3), rs.getString(first + 4)),
              rs.getInt(first + 5),
              rs.getString(first + 6));
      try {
        body = new Body(envelope.type(), json.writeValueAsBytes(envelope));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("event " + eventId + " not serializable", e);
      }
      bodies.put(eventId, body);
    }
    return new Claimed(id, endpointId, eventId, body.type(), body.bytes(), attempts);
  }

  /** An event's type and serialized envelope, shared by its deliveries to several endpoints. */
  record Body(String type, byte[] bytes) {}

  /**
   * The envelope columns, sent only with the first row of each event ({@code firstOf} names the
   * column to partition by, {@code order} the rows' order): the other rows of that event reuse the
   * body built from it.
   */
  static String envelopeOnce(String firstOf, String order) {
    String first = "row_number() over (partition by " + firstOf + " order by " + order + ") = 1";
    StringBuilder out = new StringBuilder("ev.id");
    for (String col :
        List.of("ev.type", "ev.created_at", "ev.subject_kind", "ev.subject_id", "ev.sequence")) {
      out.append(", ").append(col);
    }
    out.append(", case when ").append(first).append(" then ev.data end");
    return out.toString();
  }

  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in a transaction of its own on one connection: a plain JDBC transaction,
   * since the dispatcher's threads never join another one and a JTA transaction would only add its
   * bookkeeping to every batch.
   */
  <T> T tx(Work<T> work) {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("webhook delivery query failed", e);
    }
  }
}
