package dev.nudge.event;

import dev.nudge.common.paging.Cursor;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.ProblemType;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The pull feed. Events are ordered by (transaction id, position) and only events of transactions
 * older than every transaction still running are shown: once a page is read, no event can later
 * appear before its end, however transactions commit.
 */
@ApplicationScoped
public class EventFeed {

  private static final Pattern TYPE = Pattern.compile("[a-z_]+(\\.[a-z_]+)?|[a-z_]+\\.\\*|\\*");

  public record Position(String txid, long position) {
    static final Position START = new Position("0", 0);

    boolean before(Position other) {
      int byTransaction =
          Long.compareUnsigned(Long.parseUnsignedLong(txid), Long.parseUnsignedLong(other.txid));
      return byTransaction < 0 || (byTransaction == 0 && position < other.position);
    }

    String encode() {
      return Cursor.encode(txid + ":" + position);
    }

    static Position decode(String cursor) {
      String raw = Cursor.decode(cursor);
      if (raw == null) {
        return START;
      }
      String[] parts = raw.split(":");
      try {
        if (parts.length == 2) {
          Long.parseUnsignedLong(parts[0]);
          return new Position(parts[0], Long.parseLong(parts[1]));
        }
      } catch (NumberFormatException e) {
        // falls through
      }
      throw ApiProblem.validation("after", "is not a cursor this API issued");
    }
  }

  /** A feed page; {@code nextCursor} is where to continue, also when nothing new was there. */
  public record FeedPage(List<EventEnvelope> data, String nextCursor, boolean hasMore) {}

  /** One event with the cursor that continues right after it (the SSE {@code id}). */
  public record Entry(EventEnvelope event, String cursor) {}

  /** Events after {@code after} with a cursor each, for the stream. */
  public List<Entry> entries(
      String tenantId, String partyId, String after, List<String> types, int limit) {
    List<Entry> out = new ArrayList<>();
    query(tenantId, partyId, after, types, limit, out);
    return out;
  }

  private final AgroalDataSource db;

  public EventFeed(AgroalDataSource db) {
    this.db = db;
  }

  public static List<String> parseTypes(String types) {
    if (types == null || types.isBlank()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String t : types.split(",")) {
      String type = t.trim();
      if (!TYPE.matcher(type).matches()) {
        throw ApiProblem.validation("types", "'" + type + "' is not an event type or pattern");
      }
      out.add(type);
    }
    return out;
  }

  public FeedPage read(
      String tenantId, String partyId, String after, List<String> types, int limit) {
    List<Entry> entries = new ArrayList<>();
    boolean more = query(tenantId, partyId, after, types, limit, entries);
    String next =
        entries.isEmpty()
            ? Position.decode(after).encode()
            : entries.get(entries.size() - 1).cursor();
    return new FeedPage(entries.stream().map(Entry::event).toList(), next, more);
  }

  private boolean query(
      String tenantId,
      String partyId,
      String after,
      List<String> types,
      int limit,
      List<Entry> events) {
    Position from = Position.decode(after);
    StringBuilder sql =
        new StringBuilder(
            "select txid::text, position, id, type, subject_kind, subject_id, sequence,"
                + " created_at, data::text from event where tenant_id = ?"
                + " and (txid, position) > (?::xid8, ?)"
                + " and txid < pg_snapshot_xmin(pg_current_snapshot())");
    if (partyId != null) {
      sql.append(" and party_ids @> array[?]::text[]");
    }
    if (!types.isEmpty()) {
      sql.append(" and type like any (?)");
    }
    // Qualified: a bare "txid" would mean the text column selected above and sort as text.
    sql.append(" order by event.txid, event.position limit ?");
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int i = 1;
      ps.setString(i++, tenantId);
      ps.setString(i++, from.txid());
      ps.setLong(i++, from.position());
      if (partyId != null) {
        ps.setString(i++, partyId);
      }
      if (!types.isEmpty()) {
        ps.setArray(
            i++,
            c.createArrayOf(
                "text",
                types.stream().map(t -> t.replace("_", "\\_").replace("*", "%")).toArray()));
      }
      ps.setInt(i, limit + 1);
      boolean more = false;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (events.size() == limit) {
            more = true;
            break;
          }
          Position at = new Position(rs.getString(1), rs.getLong(2));
          events.add(
              new Entry(
                  new EventEnvelope(
                      rs.getString(3),
                      rs.getString(4),
                      rs.getTimestamp(8).toInstant(),
                      new EventEnvelope.Subject(rs.getString(5), rs.getString(6)),
                      rs.getInt(7),
                      rs.getString(9)),
                  at.encode()));
        }
      }
      // Checked after reading: retention removes events and moves the horizon in one
      // transaction, so a removal the page could not see has already moved the horizon.
      if (after != null && !after.isEmpty()) {
        requireNotExpired(c, tenantId, from);
      }
      return more;
    } catch (SQLException e) {
      throw new IllegalStateException("event feed query failed", e);
    }
  }

  /** 400 for a cursor this API did not issue, 410 for one past retention; else nothing. */
  public void requireCurrent(String tenantId, String after) {
    Position from = Position.decode(after);
    if (after == null || after.isEmpty()) {
      return;
    }
    try (Connection c = db.getConnection()) {
      requireNotExpired(c, tenantId, from);
    } catch (SQLException e) {
      throw new IllegalStateException("event feed query failed", e);
    }
  }

  /**
   * A cursor before the tenant's last removed event would skip the removed ones silently: 410
   * instead, so the consumer knows to resynchronise (SPEC §4).
   */
  private static void requireNotExpired(Connection c, String tenantId, Position from)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("select txid::text, position from event_horizon where tenant_id = ?")) {
      ps.setString(1, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && from.before(new Position(rs.getString(1), rs.getLong(2)))) {
          throw new ApiProblem(
              ProblemType.CURSOR_EXPIRED,
              "This cursor points before events that were removed after the retention period;"
                  + " read the feed again from the beginning (no cursor).");
        }
      }
    }
  }
}
