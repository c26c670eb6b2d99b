package dev.nudge.webhook;

import static dev.nudge.webhook.WebhookEndpointRepository.ts;

import dev.nudge.webhook.DeliveryStore.Batch;
import dev.nudge.webhook.DeliveryStore.Claimed;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns committed events into deliveries, in feed order (see EventFeed), for every matching
 * endpoint. The replica that fans out leases the new deliveries to itself as it inserts them, as
 * many per endpoint as it has room for, so the live path needs no separate claim; the rest wait in
 * the queue, due at once. Replicas take turns via the cursor lock.
 */
@ApplicationScoped
public class EventFanOut {

  /** What one fan-out statement did. */
  public record Result(int eventsRead, Batch batch) {}

  private final DeliveryStore store;

  public EventFanOut(DeliveryStore store) {
    this.store = store;
  }

  /**
   * Fans out the next {@code batchSize} committed events. {@code rooms} says how many new
   * deliveries each endpoint with a lane may take; other endpoints take up to {@code defaultRoom}.
   */
  public Result fanOut(
      int batchSize, Map<String, Integer> rooms, int defaultRoom, Instant now, Instant leaseUntil) {
    return store.tx(
        c -> {
          String txid;
          long position;
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "select txid::text, position from webhook_fanout_cursor where id = 1"
                          + " for update skip locked");
              ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              return new Result(0, Batch.EMPTY);
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
            return new Result(0, Batch.EMPTY);
          }
          Batch batch = insert(c, positions, rooms, defaultRoom, now, leaseUntil);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "update webhook_fanout_cursor set txid = ?::xid8, position = ? where id = 1")) {
            ps.setString(1, lastTxid);
            ps.setLong(2, lastPosition);
            ps.executeUpdate();
          }
          return new Result(positions.size(), batch);
        });
  }

  /**
   * One statement: match the events to endpoints, insert the deliveries (due now on the tenant's
   * clock), lease the first {@code room} of each endpoint, and return the leased ones with their
   * event.
   */
  private Batch insert(
      Connection c,
      List<Long> positions,
      Map<String, Integer> rooms,
      int defaultRoom,
      Instant now,
      Instant leaseUntil)
      throws java.sql.SQLException {
    List<String> laneIds = new ArrayList<>(rooms.keySet());
    List<Claimed> leased = new ArrayList<>();
    Set<String> waiting = new HashSet<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "with ev as (select * from event where position = any (?)),"
                + " room as (select * from unnest(?::text[], ?::int[]) as r(endpoint_id, room)),"
                + " matched as (select ep.id as endpoint_id, ev.tenant_id, ev.id as event_id,"
                + " ev.txid, ev.position, coalesce(t.clock_now, ?) as due,"
                + " row_number() over (partition by ep.id order by ev.txid, ev.position) as n"
                + " from ev join webhook_endpoint ep on ep.tenant_id = ev.tenant_id"
                + " join tenant t on t.id = ev.tenant_id"
                + " where ep.status = 'enabled' and ev.position > ep.created_position"
                + " and ev.type like any (ep.type_patterns)"
                + " and (ep.party_id is null or ev.party_ids @> array[ep.party_id])),"
                + " ins as (insert into webhook_delivery (endpoint_id, tenant_id, event_id, origin,"
                + " status, next_attempt_at, lease_until, created_at, updated_at)"
                + " select m.endpoint_id, m.tenant_id, m.event_id, 'event', 'pending', m.due,"
                + " case when m.n <= coalesce(r.room, ?) then ?::timestamptz end, m.due, m.due"
                + " from matched m left join room r on r.endpoint_id = m.endpoint_id"
                + " order by m.txid, m.position"
                + " returning id, endpoint_id, event_id, lease_until is not null as leased)"
                + " select ins.id, ins.endpoint_id, ins.leased, "
                + DeliveryStore.envelopeOnce("ins.event_id, ins.leased", "ins.id")
                + " from ins join ev on ev.id = ins.event_id order by ins.id")) {
      ps.setArray(1, c.createArrayOf("bigint", positions.toArray()));
      ps.setArray(2, c.createArrayOf("text", laneIds.toArray()));
      ps.setArray(3, c.createArrayOf("int4", laneIds.stream().map(rooms::get).toArray()));
      ps.setTimestamp(4, ts(now));
      ps.setInt(5, defaultRoom);
      ps.setTimestamp(6, ts(leaseUntil));
      Map<String, DeliveryStore.Body> bodies = new HashMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (rs.getBoolean(3)) {
            leased.add(store.claimed(rs, rs.getLong(1), rs.getString(2), 0, 4, bodies));
          } else {
            waiting.add(rs.getString(2));
          }
        }
      }
    }
    Set<String> endpoints = new HashSet<>();
    leased.forEach(d -> endpoints.add(d.endpointId()));
    return new Batch(leased, DeliveryStore.endpoints(c, endpoints, now), waiting);
  }
}
