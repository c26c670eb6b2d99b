package dev.nudge.hostile;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the service's database holds, to tell whether a request changed anything, cheaply enough for
 * thousands of requests.
 *
 * <p>{@link #begin()} opens a repeatable-read snapshot before the request: it costs one query, and
 * it keeps the state as it was before the request readable afterwards. A request that wrote nothing
 * assigned no transaction id, so the next id to be assigned ({@code xmax}) stays where the snapshot
 * saw it, and nothing more is read. Only when it moved are the tables compared, before (in the
 * snapshot) and after, each by its row count and the sum of its rows' hashes, so that a write
 * undone within the request (a claimed and released idempotency key) is not taken for a change. A
 * successful write, which is allowed to change things, costs no comparison at all.
 */
final class DatabaseState implements AutoCloseable {

  /**
   * Tables whose rows the webhook dispatcher also writes in the background, hashed without what it
   * writes: an endpoint's failure run ({@code failing_since}) and its disabling after the run grew
   * too long or the receiver answered 410 (status, reason and version). What a request writes to an
   * endpoint (its URL, types, secrets, a status it sets, {@code updated_at}) is still compared.
   */
  private static final Map<String, String> ROWS =
      Map.of(
          "webhook_endpoint",
          "(t.id, t.tenant_id, t.url, t.description, t.event_types, t.type_patterns, t.party_id,"
              + " t.secret, t.previous_secret, t.previous_secret_expires_at,"
              + " case when t.disabled_reason in ('gone', 'failing') then 'enabled' else t.status"
              + " end, t.created_position, t.created_at, t.updated_at)::text");

  private final Connection before;
  private final Connection now;
  private final String digestQuery;
  private long marker = -1;

  DatabaseState(Connection before, Connection now) throws SQLException {
    this.before = before;
    this.now = now;
    before.setAutoCommit(false);
    before.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    now.setAutoCommit(true);
    List<String> parts = new ArrayList<>();
    try (Statement s = now.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select tablename from pg_tables where schemaname = 'public' order by 1")) {
      while (rs.next()) {
        String t = rs.getString(1);
        parts.add(
            "select '"
                + t
                + "', count(*) || ':' || coalesce(sum(hashtextextended("
                + ROWS.getOrDefault(t, "t::text")
                + ", 0)), 0) from \""
                + t
                + "\" t");
      }
    }
    this.digestQuery = String.join(" union all ", parts);
  }

  /** Takes the snapshot of the state before a request. */
  void begin() throws SQLException {
    before.rollback();
    marker = marker(before);
  }

  /**
   * The tables whose content differs from the snapshot {@link #begin()} took; empty when nothing
   * changed. Ends the snapshot.
   */
  List<String> changed() throws SQLException {
    try {
      if (marker(now) == marker) {
        return List.of();
      }
      Map<String, String> was = digest(before);
      Map<String, String> is = digest(now);
      List<String> changed = new ArrayList<>();
      for (var e : is.entrySet()) {
        if (!e.getValue().equals(was.get(e.getKey()))) {
          changed.add(e.getKey() + " (" + was.get(e.getKey()) + " -> " + e.getValue() + ")");
        }
      }
      return changed;
    } finally {
      before.rollback();
    }
  }

  /** Ends the snapshot without comparing (a request allowed to write). */
  void end() throws SQLException {
    before.rollback();
  }

  /** The next transaction id as {@code db} sees it; it moves exactly when something wrote. */
  private static long marker(Connection db) throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("select pg_snapshot_xmax(pg_current_snapshot())::text")) {
      rs.next();
      return Long.parseLong(rs.getString(1));
    }
  }

  private Map<String, String> digest(Connection db) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery(digestQuery)) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  @Override
  public void close() throws SQLException {
    try {
      before.rollback();
      before.close();
    } finally {
      now.close();
    }
  }
}
