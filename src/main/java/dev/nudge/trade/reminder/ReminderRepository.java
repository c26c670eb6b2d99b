package dev.nudge.trade.reminder;

import static dev.nudge.common.db.Table.Write.FIXED;
import static dev.nudge.common.db.Table.Write.MUTABLE;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.db.Table;
import dev.nudge.schedule.TimerMachine.RowsNotWritten;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGStatement;

/** The reminder table, its columns declared once; statements run in the caller's transaction. */
@ApplicationScoped
public class ReminderRepository {

  static final Table<Reminder> TABLE =
      Table.of("reminder", Reminder::new)
          .text(FIXED, "id", r -> r.id, (r, v) -> r.id = v)
          .text(FIXED, "trade_id", r -> r.tradeId, (r, v) -> r.tradeId = v)
          .text(FIXED, "tenant_id", r -> r.tenantId, (r, v) -> r.tenantId = v)
          .text(FIXED, "to_party_id", r -> r.toPartyId, (r, v) -> r.toPartyId = v)
          .integer(MUTABLE, "number", r -> r.number, (r, v) -> r.number = v)
          .text(MUTABLE, "tone", r -> r.tone, (r, v) -> r.tone = v)
          .text(MUTABLE, "channel", r -> r.channel, (r, v) -> r.channel = v)
          .text(MUTABLE, "locale", r -> r.locale, (r, v) -> r.locale = v)
          .text(MUTABLE, "message", r -> r.message, (r, v) -> r.message = v)
          .instant(MUTABLE, "scheduled_for", r -> r.scheduledFor, (r, v) -> r.scheduledFor = v)
          .instant(MUTABLE, "sent_at", r -> r.sentAt, (r, v) -> r.sentAt = v)
          .text(MUTABLE, "status", r -> r.status, (r, v) -> r.status = v)
          .bool(MUTABLE, "manual", r -> r.manual, (r, v) -> r.manual = v)
          .build();

  private final ObjectMapper json;

  public ReminderRepository(ObjectMapper json) {
    this.json = json;
  }

  public List<Reminder> forTrade(Connection c, String tradeId, String afterId, int limit)
      throws SQLException {
    return page(c, "trade_id = ?", tradeId, null, afterId, limit);
  }

  public List<Reminder> forParty(
      Connection c, String partyId, String status, String afterId, int limit) throws SQLException {
    return page(c, "to_party_id = ?", partyId, status, afterId, limit);
  }

  private List<Reminder> page(
      Connection c, String where, String key, String status, String afterId, int limit)
      throws SQLException {
    String sql =
        "select "
            + TABLE.columns()
            + " from reminder where "
            + where
            + (status == null ? "" : " and status = ?")
            + (afterId == null ? "" : " and id > ?")
            + " order by id limit ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setString(i++, key);
      if (status != null) {
        ps.setString(i++, status);
      }
      if (afterId != null) {
        ps.setString(i++, afterId);
      }
      ps.setInt(i, limit + 1);
      return TABLE.query(ps);
    }
  }

  /**
   * The reminders held for quiet hours of these trades: trade id → (due instant → record id).
   * Planned for each call, never from a plan kept on the connection: a plan chosen while the table
   * was small reads every reminder (a generic plan cannot tell a list of 500 trades from the whole
   * table), which cost the scheduler 56 ms per batch of 500 at 100,000 reminders, against under 1
   * ms through {@code reminder_held}.
   */
  public Map<String, Map<Instant, String>> held(Connection c, Collection<String> tradeIds)
      throws SQLException {
    Map<String, Map<Instant, String>> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select trade_id, scheduled_for, id from reminder"
                + " where trade_id = any(?) and status = 'deferred'")) {
      ps.unwrap(PGStatement.class).setPrepareThreshold(0);
      ps.setArray(1, c.createArrayOf("text", tradeIds.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
              .put(rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3));
        }
      }
    }
    return out;
  }

  /** Inserts the new records and rewrites the stored ones (a held one becoming sent). */
  public void write(Connection c, List<Reminder> records) throws SQLException {
    List<Reminder> stored = records.stream().filter(r -> r.stored).toList();
    TABLE.insert(c, json, records.stream().filter(r -> !r.stored).toList());
    int updated = TABLE.update(c, json, stored);
    if (updated != stored.size()) {
      throw new RowsNotWritten("reminder", stored.size(), updated);
    }
  }

  /** Deletes the trade's reminder held until {@code until}, if there is one. */
  public void withdrawHeld(Connection c, String tradeId, Instant until) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "delete from reminder where trade_id = ? and status = 'deferred'"
                + " and scheduled_for = ?")) {
      ps.setString(1, tradeId);
      ps.setObject(2, until.atOffset(ZoneOffset.UTC));
      ps.executeUpdate();
    }
  }

  /** The tenants' own reminder texts, by {@link #overrideKey}. */
  public Map<String, String> overrides(Connection c, Collection<String> tenantIds)
      throws SQLException {
    Map<String, String> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select tenant_id, locale, tone, body from reminder_template where tenant_id = any(?)")) {
      ps.setArray(1, c.createArrayOf("text", tenantIds.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(overrideKey(rs.getString(1), rs.getString(2), rs.getString(3)), rs.getString(4));
        }
      }
    }
    return out;
  }

  public static String overrideKey(String tenantId, String locale, String tone) {
    return tenantId + "/" + locale + "/" + tone;
  }
}
