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
 *
 * <p>A statement may be given a limit (the deliveries the replica has room to hold): it stops
 * before the event that would pass it, so those deliveries are inserted leased once the replica has
 * room again, instead of queued now and claimed later (a claim writes each row a second time).
 */
@ApplicationScoped
public class EventFanOut {

  /**
   * What one fan-out statement did: {@code heldBack} when it stopped at its limit before events it
   * had read; {@code more} when it took every event it asked for, so more may be waiting.
   */
  public record Result(boolean heldBack, boolean more, Batch batch) {
    static final Result NONE = new Result(false, false, Batch.EMPTY);
  }

  private final DeliveryStore store;

  /**
   * Deliveries per event in recent statements, so that a limited statement reads about as many
   * events as its limit takes rather than matching events it then leaves for the next.
   */
  private volatile double perEvent = 1;

  public EventFanOut(DeliveryStore store) {
    this.store = store;
  }

  /**
   * Fans out up to the next {@code batchSize} committed events, and no more than fit in {@code
   * limit} deliveries (at least one event). {@code rooms} says how many new deliveries each
   * endpoint with a lane may take; other endpoints take up to {@code defaultRoom}.
   */
  public Result fanOut(
      int batchSize,
      int limit,
      Map<String, Integer> rooms,
      int defaultRoom,
      Instant now,
      Instant leaseUntil) {
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
              return Result.NONE;
            }
            txid = rs.getString(1);
            position = rs.getLong(2);
          }
          if (passedEverything(c, txid, position)) {
            return Result.NONE;
          }
          int wanted = limit == Integer.MAX_VALUE ? batchSize : eventsFor(limit, batchSize);
          List<String> txids = new ArrayList<>();
          List<Long> positions = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select txid::text, position from event"
                      + " where (txid, position) > (?::xid8, ?)"
                      + " and txid < pg_snapshot_xmin(pg_current_snapshot())"
                      // Qualified: a bare "txid" would mean the text column and sort as text.
                      + " order by event.txid, event.position limit ?")) {
            ps.setString(1, txid);
            ps.setLong(2, position);
            ps.setInt(3, wanted);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                txids.add(rs.getString(1));
                positions.add(rs.getLong(2));
              }
            }
          }
          if (positions.isEmpty()) {
            return Result.NONE;
          }
          Inserted ins = insert(c, positions, limit, rooms, defaultRoom, now, leaseUntil);
          int taken = ins.events();
          perEvent = (perEvent + Math.max(0.1, (double) ins.deliveries() / taken)) / 2;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "update webhook_fanout_cursor set txid = ?::xid8, position = ? where id = 1")) {
            ps.setString(1, txids.get(taken - 1));
            ps.setLong(2, positions.get(taken - 1));
            ps.executeUpdate();
          }
          boolean heldBack = taken < positions.size();
          return new Result(heldBack, !heldBack && taken == wanted, ins.batch());
        });
  }

  /**
   * While no endpoint is enabled, no committed event has anywhere to go (the statements below would
   * match none of them): the cursor moves past all of them at once, to the newest committed event,
   * with one index probe instead of reading every event in batches. The check and the move share
   * one statement, so one snapshot: an endpoint it does not see was created after every event it
   * passes was visible, and takes none of them (as on the usual path). Returns whether it moved.
   */
  private static boolean passedEverything(Connection c, String txid, long position)
      throws java.sql.SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "with newest as (select txid, position from event"
                + " where (txid, position) > (?::xid8, ?)"
                + " and txid < pg_snapshot_xmin(pg_current_snapshot())"
                + " order by event.txid desc, event.position desc limit 1)"
                + " update webhook_fanout_cursor c set txid = newest.txid,"
                + " position = newest.position from newest where c.id = 1"
                + " and not exists (select 1 from webhook_endpoint where status = 'enabled')")) {
      ps.setString(1, txid);
      ps.setLong(2, position);
      return ps.executeUpdate() == 1;
    }
  }

  /** Events to read for about {@code limit} deliveries: one more than fit, so the limit is seen. */
  private int eventsFor(int limit, int batchSize) {
    return (int) Math.max(1, Math.min(batchSize, Math.ceil(limit / perEvent) + 1));
  }

  /**
   * The first {@code events} of the events read were fanned out into {@code deliveries}, the leased
   * ones in {@code batch}.
   */
  private record Inserted(int events, int deliveries, Batch batch) {}

  /**
   * One statement: match the events (in the order given) to endpoints, lease the first {@code room}
   * deliveries of each endpoint, take the events up to the first whose leased deliveries would pass
   * {@code limit} (at least one), insert their deliveries (due now on the tenant's clock), and
   * return the leased ones with their event, and how many events were taken.
   */
  private Inserted insert(
      Connection c,
      List<Long> positions,
      int limit,
      Map<String, Integer> rooms,
      int defaultRoom,
      Instant now,
      Instant leaseUntil)
      throws java.sql.SQLException {
    List<String> laneIds = new ArrayList<>(rooms.keySet());
    List<Claimed> leased = new ArrayList<>();
    Set<String> waiting = new HashSet<>();
    int taken = positions.size();
    int deliveries = 0;
    try (PreparedStatement ps =
        c.prepareStatement(
            "with ev as (select e.*, o.ord from unnest(?::bigint[]) with ordinality as o(position,"
                + " ord) join event e on e.position = o.position),"
                + " room as (select * from unnest(?::text[], ?::int[]) as r(endpoint_id, room)),"
                + " matched as (select ep.id as endpoint_id, ev.tenant_id, ev.id as event_id,"
                + " ev.ord, coalesce(t.clock_now, ?) as due,"
                + " row_number() over (partition by ep.id order by ev.ord) as n"
                + " from ev join webhook_endpoint ep on ep.tenant_id = ev.tenant_id"
                + " join tenant t on t.id = ev.tenant_id"
                + " where ep.status = 'enabled' and ev.position > ep.created_position"
                + " and ev.type like any (ep.type_patterns)"
                + " and (ep.party_id is null or ev.party_ids @> array[ep.party_id])),"
                + " sized as (select m.*, m.n <= coalesce(r.room, ?) as leased"
                + " from matched m left join room r on r.endpoint_id = m.endpoint_id),"
                // Only the leased count against the limit: a lane without room queues as before.
                + " counted as (select s.*, count(*) filter (where s.leased)"
                + " over (order by s.ord, s.endpoint_id) as held from sized s),"
                + " take as (select greatest(1, coalesce(min(ord) filter (where leased and held > ?)"
                + " - 1, ?)) as upto from counted),"
                + " ins as (insert into webhook_delivery (endpoint_id, tenant_id, event_id, origin,"
                + " status, next_attempt_at, lease_until, created_at, updated_at)"
                + " select m.endpoint_id, m.tenant_id, m.event_id, 'event', 'pending', m.due,"
                + " case when m.leased then ?::timestamptz end, m.due, m.due"
                + " from counted m join take on m.ord <= take.upto order by m.ord, m.endpoint_id"
                + " returning id, endpoint_id, event_id, lease_until is not null as leased)"
                + " select ins.id, ins.endpoint_id, ins.leased, "
                + DeliveryStore.envelopeOnce("ins.event_id, ins.leased", "ins.id")
                + ", take.upto from take left join (ins join ev on ev.id = ins.event_id) on true"
                + " order by ins.id")) {
      ps.setArray(1, c.createArrayOf("bigint", positions.toArray()));
      ps.setArray(2, c.createArrayOf("text", laneIds.toArray()));
      ps.setArray(3, c.createArrayOf("int4", laneIds.stream().map(rooms::get).toArray()));
      ps.setTimestamp(4, ts(now));
      ps.setInt(5, defaultRoom);
      ps.setInt(6, limit);
      ps.setInt(7, positions.size());
      ps.setTimestamp(8, ts(leaseUntil));
      Map<String, DeliveryStore.Body> bodies = new HashMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          taken = rs.getInt(11);
          if (rs.getObject(1) == null) {
            continue; // no delivery: the row only says how many events were taken
          }
          deliveries++;
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
    return new Inserted(
        taken, deliveries, new Batch(leased, DeliveryStore.endpoints(c, endpoints, now), waiting));
  }
}
