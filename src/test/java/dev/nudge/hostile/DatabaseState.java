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
 * What the service's database holds, to tell whether a request changed anything. Cheap first: a
 * request that wrote nothing assigned no transaction id, so the snapshot's {@code xmax} (the next
 * id to be assigned) stayed where it was. Only when it moved are the tables compared, each by its
 * row count and the sum of its rows' hashes, so that a write undone within the request (a claimed
 * and released idempotency key) is not taken for a change.
 */
final class DatabaseState implements AutoCloseable {

  private final Connection db;
  private final String digestQuery;
  private long digestMarker = -1;
  private Map<String, String> digest;

  DatabaseState(Connection db) throws SQLException {
    this.db = db;
    db.setAutoCommit(true);
    List<String> parts = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select tablename from pg_tables where schemaname = 'public' order by 1")) {
      while (rs.next()) {
        String t = rs.getString(1);
        parts.add(
            "select '"
                + t
                + "', count(*) || ':' || coalesce(sum(hashtextextended(t::text, 0)), 0) from \""
                + t
                + "\" t");
      }
    }
    this.digestQuery = String.join(" union all ", parts);
  }

  /** The next transaction id; it moves exactly when something wrote. */
  long marker() throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("select pg_snapshot_xmax(pg_current_snapshot())::text")) {
      rs.next();
      return Long.parseLong(rs.getString(1));
    }
  }

  /** The digest as of {@code marker}, computed again only if something wrote since. */
  Map<String, String> digestAt(long marker) throws SQLException {
    if (marker != digestMarker) {
      digest = digest();
      digestMarker = marker;
    }
    return digest;
  }

  /** The tables whose content differs from {@code before}; empty when nothing changed. */
  List<String> changedSince(long beforeMarker, Map<String, String> before) throws SQLException {
    long now = marker();
    if (now == beforeMarker) {
      return List.of();
    }
    Map<String, String> after = digestAt(now);
    List<String> changed = new ArrayList<>();
    for (var e : after.entrySet()) {
      if (!e.getValue().equals(before.get(e.getKey()))) {
        changed.add(e.getKey() + " (" + before.get(e.getKey()) + " -> " + e.getValue() + ")");
      }
    }
    return changed;
  }

  private Map<String, String> digest() throws SQLException {
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
    db.close();
  }
}
