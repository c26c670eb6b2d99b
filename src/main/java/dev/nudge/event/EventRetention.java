package dev.nudge.event;

import dev.nudge.common.db.Jdbc;
import dev.nudge.common.idempotency.IdempotencyStore;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Bounded growth (SPEC §4): removes events, and what references them, once they are older than
 * {@code nudge.events.retention}, and idempotency records after 24 hours. Trades, complaints and
 * their histories are never removed.
 *
 * <p>An event's age is read on its tenant's clock: the system clock for live tenants, the test
 * clock for test-mode tenants (whose events are stamped with it), so advancing a test clock ages
 * its events too. Removal goes oldest first per tenant, in feed order, a batch of rows per short
 * transaction, so it never holds many locks or holds them long; each batch records the tenant's
 * last removed feed position, which is how the feed knows a cursor has expired.
 */
@ApplicationScoped
public class EventRetention {

  /** What one run removed. */
  public record Removed(long events, long references, long idempotencyRecords) {
    boolean any() {
      return events + references + idempotencyRecords > 0;
    }
  }

  private static final Logger LOG = Logger.getLogger(EventRetention.class);

  /** Session advisory lock: one replica at a time runs retention (the others skip the round). */
  private static final long LOCK = 0x6e75646765526574L;

  private final AgroalDataSource db;
  private final Jdbc jdbc;
  private final RetentionConfig config;
  private final Instance<EventReferences> references;
  private final IdempotencyStore idempotency;
  private final Clock clock;

  public EventRetention(
      AgroalDataSource db,
      Jdbc jdbc,
      RetentionConfig config,
      Instance<EventReferences> references,
      IdempotencyStore idempotency,
      Clock clock) {
    this.db = db;
    this.jdbc = jdbc;
    this.config = config;
    this.references = references;
    this.idempotency = idempotency;
    this.clock = clock;
  }

  /** One round as of the system clock's now. */
  public Removed run() {
    return run(clock.instant());
  }

  /**
   * One round as of {@code now} (live tenants' time; test-mode tenants' events age on their own
   * clock): removes everything past its retention; returns the counts. Does nothing while another
   * replica runs a round.
   */
  public Removed run(Instant now) {
    try (Connection lease = db.getConnection()) {
      if (!advisory(lease, "pg_try_advisory_lock")) {
        return new Removed(0, 0, 0);
      }
      try {
        Removed removed = removeAll(now);
        if (removed.any()) {
          LOG.infof(
              "retention removed %d events, %d webhook rows, %d idempotency records",
              removed.events(), removed.references(), removed.idempotencyRecords());
        }
        return removed;
      } finally {
        advisory(lease, "pg_advisory_unlock");
      }
    } catch (SQLException e) {
      throw new Jdbc.Failure(e);
    }
  }

  private Removed removeAll(Instant now) throws SQLException {
    int batch = config.batchSize();
    long records = 0;
    for (int n = batch; n == batch; records += n) {
      n = idempotency.purgeBefore(now.minus(IdempotencyStore.RETENTION), batch);
    }
    Instant cutoff = now.minus(config.retention());
    long rows = 0;
    for (EventReferences r : references) {
      for (int n = batch; n == batch; rows += n) {
        n = inTransaction(c -> r.removeBefore(c, cutoff, batch));
      }
    }
    long events = 0;
    for (Expired tenant : tenantsWithExpiredEvents(now)) {
      for (int n = batch; n == batch; ) {
        int[] counts = inTransaction(c -> removeBatch(c, tenant, batch));
        n = counts[0];
        events += n;
        rows += counts[1];
      }
    }
    return new Removed(events, rows, records);
  }

  /** A tenant whose oldest event is past retention, and the instant before which events go. */
  private record Expired(String tenantId, Instant cutoff) {}

  /** One probe of the feed index per tenant: is its oldest event past retention? */
  private List<Expired> tenantsWithExpiredEvents(Instant now) {
    return jdbc.call(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select t.id, coalesce(t.clock_now, ?) - ?::interval from tenant t"
                      + " cross join lateral (select e.created_at from event e"
                      + " where e.tenant_id = t.id order by e.txid, e.position limit 1) oldest"
                      + " where oldest.created_at < coalesce(t.clock_now, ?) - ?::interval")) {
            OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
            String interval = config.retention().toSeconds() + " seconds";
            ps.setObject(1, at);
            ps.setString(2, interval);
            ps.setObject(3, at);
            ps.setString(4, interval);
            List<Expired> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new Expired(
                        rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()));
              }
            }
            return out;
          }
        });
  }

  /**
   * Removes the tenant's oldest events, in feed order, up to the first that is still within
   * retention (at most {@code batch}); the rows referencing them go first. Returns how many events
   * and how many referencing rows.
   */
  private int[] removeBatch(Connection c, Expired tenant, int batch) throws SQLException {
    List<Long> positions = new ArrayList<>(batch);
    List<String> ids = new ArrayList<>(batch);
    String lastTxid = null;
    // Qualified: a bare "txid" would mean the text column selected here and sort as text, which
    // puts transaction 10 before 9 (so an expired event hides behind a newer one) and cannot use
    // the feed index (every batch would sort all of the tenant's events).
    try (PreparedStatement ps =
        c.prepareStatement(
            "select position, id, txid::text, created_at from event where tenant_id = ?"
                + " order by event.txid, event.position limit ?")) {
      ps.setString(1, tenant.tenantId());
      ps.setInt(2, batch);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (!rs.getObject(4, OffsetDateTime.class).toInstant().isBefore(tenant.cutoff())) {
            break;
          }
          positions.add(rs.getLong(1));
          ids.add(rs.getString(2));
          lastTxid = rs.getString(3);
        }
      }
    }
    if (ids.isEmpty()) {
      return new int[] {0, 0};
    }
    int referencing = 0;
    for (EventReferences r : references) {
      referencing += r.removeFor(c, ids);
    }
    try (PreparedStatement ps = c.prepareStatement("delete from event where position = any(?)")) {
      ps.setArray(1, c.createArrayOf("bigint", positions.toArray()));
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into event_horizon (tenant_id, txid, position) values (?, ?::xid8, ?)"
                + " on conflict (tenant_id) do update"
                + " set txid = excluded.txid, position = excluded.position"
                + " where (event_horizon.txid, event_horizon.position)"
                + " < (excluded.txid, excluded.position)")) {
      ps.setString(1, tenant.tenantId());
      ps.setString(2, lastTxid);
      ps.setLong(3, positions.get(positions.size() - 1));
      ps.executeUpdate();
    }
    return new int[] {ids.size(), referencing};
  }

  private <T> T inTransaction(Jdbc.Work<T> work) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                jdbc.call(
                    c -> {
                      try (var s = c.createStatement()) {
                        s.execute("set local lock_timeout = '5s'");
                      }
                      return work.run(c);
                    }));
  }

  private static boolean advisory(Connection c, String function) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select " + function + "(?)")) {
      ps.setLong(1, LOCK);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }
}
