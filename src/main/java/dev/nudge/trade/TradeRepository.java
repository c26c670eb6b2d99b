package dev.nudge.trade;

import static dev.nudge.common.db.Table.Write.FIXED;
import static dev.nudge.common.db.Table.Write.GENERATED;
import static dev.nudge.common.db.Table.Write.MUTABLE;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.db.Table;
import dev.nudge.schedule.TimerMachine.RowsNotWritten;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The trade and trade_history tables, for the API and the scheduler alike: each column is declared
 * once here, and every read and write goes through these declarations. Statements run on the
 * caller's connection, in the caller's transaction.
 */
@ApplicationScoped
public class TradeRepository {

  static final Table<Trade> TABLE =
      Table.of("trade", Trade::new)
          .text(FIXED, "id", t -> t.id, (t, v) -> t.id = v)
          .text(FIXED, "tenant_id", t -> t.tenantId, (t, v) -> t.tenantId = v)
          .text(MUTABLE, "state", t -> t.state, (t, v) -> t.state = v)
          .integer(MUTABLE, "version", t -> t.version, (t, v) -> t.version = v)
          .text(FIXED, "title", t -> t.title, (t, v) -> t.title = v)
          .text(FIXED, "initiator_id", t -> t.initiatorId, (t, v) -> t.initiatorId = v)
          .text(FIXED, "counterparty_id", t -> t.counterpartyId, (t, v) -> t.counterpartyId = v)
          .json(FIXED, "items", t -> t.items, (t, v) -> t.items = v)
          .json(FIXED, "amount", t -> t.amount, (t, v) -> t.amount = v)
          .json(FIXED, "source", t -> t.source, (t, v) -> t.source = v)
          .json(FIXED, "policy", t -> t.policy, (t, v) -> t.policy = v)
          .text(
              MUTABLE, "awaiting_party_id", t -> t.awaitingPartyId, (t, v) -> t.awaitingPartyId = v)
          .text(MUTABLE, "awaiting_kind", t -> t.awaitingKind, (t, v) -> t.awaitingKind = v)
          .text(
              MUTABLE,
              "awaiting_requested_by",
              t -> t.awaitingRequestedBy,
              (t, v) -> t.awaitingRequestedBy = v)
          .instant(MUTABLE, "awaiting_since", t -> t.awaitingSince, (t, v) -> t.awaitingSince = v)
          .instant(MUTABLE, "awaiting_due_at", t -> t.awaitingDueAt, (t, v) -> t.awaitingDueAt = v)
          .integer(MUTABLE, "reminders_sent", t -> t.remindersSent, (t, v) -> t.remindersSent = v)
          .integer(MUTABLE, "reminders_max", t -> t.remindersMax, (t, v) -> t.remindersMax = v)
          .instant(
              MUTABLE, "reminders_last_at", t -> t.remindersLastAt, (t, v) -> t.remindersLastAt = v)
          .instant(
              MUTABLE, "reminders_next_at", t -> t.remindersNextAt, (t, v) -> t.remindersNextAt = v)
          .instant(MUTABLE, "silence_at", t -> t.silenceAt, (t, v) -> t.silenceAt = v)
          .bool(
              MUTABLE, "overdue_notified", t -> t.overdueNotified, (t, v) -> t.overdueNotified = v)
          .instant(
              MUTABLE,
              "payment_confirmed_at",
              t -> t.paymentConfirmedAt,
              (t, v) -> t.paymentConfirmedAt = v)
          .instant(
              MUTABLE,
              "shipment_confirmed_at",
              t -> t.shipmentConfirmedAt,
              (t, v) -> t.shipmentConfirmedAt = v)
          .instant(
              MUTABLE,
              "receipt_confirmed_at",
              t -> t.receiptConfirmedAt,
              (t, v) -> t.receiptConfirmedAt = v)
          .instant(
              MUTABLE,
              "initiator_completed_at",
              t -> t.initiatorCompletedAt,
              (t, v) -> t.initiatorCompletedAt = v)
          .instant(
              MUTABLE,
              "counterparty_completed_at",
              t -> t.counterpartyCompletedAt,
              (t, v) -> t.counterpartyCompletedAt = v)
          .json(MUTABLE, "cancellation", t -> t.cancellation, (t, v) -> t.cancellation = v)
          .instant(MUTABLE, "completed_at", t -> t.completedAt, (t, v) -> t.completedAt = v)
          .instant(FIXED, "created_at", t -> t.createdAt, (t, v) -> t.createdAt = v)
          .instant(MUTABLE, "updated_at", t -> t.updatedAt, (t, v) -> t.updatedAt = v)
          .integer(MUTABLE, "event_seq", t -> t.eventSeq, (t, v) -> t.eventSeq = v)
          .instant(MUTABLE, "timer_at", t -> t.timerAt, (t, v) -> t.timerAt = v)
          .bool(FIXED, "test_clock", t -> t.testClock, (t, v) -> t.testClock = v)
          .build();

  static final Table<TradeHistory> HISTORY =
      Table.of("trade_history", TradeHistory::new)
          .bigint(GENERATED, "id", h -> h.id, (h, v) -> h.id = v)
          .text(FIXED, "trade_id", h -> h.tradeId, (h, v) -> h.tradeId = v)
          .instant(FIXED, "at", h -> h.at, (h, v) -> h.at = v)
          .text(FIXED, "actor", h -> h.actor, (h, v) -> h.actor = v)
          .text(FIXED, "action", h -> h.action, (h, v) -> h.action = v)
          .text(FIXED, "from_state", h -> h.fromState, (h, v) -> h.fromState = v)
          .text(FIXED, "to_state", h -> h.toState, (h, v) -> h.toState = v)
          .text(FIXED, "note", h -> h.note, (h, v) -> h.note = v)
          .text(FIXED, "evidence_url", h -> h.evidenceUrl, (h, v) -> h.evidenceUrl = v)
          .text(FIXED, "awaited_party_id", h -> h.awaitedPartyId, (h, v) -> h.awaitedPartyId = v)
          .integer(FIXED, "reminders_sent", h -> h.remindersSent, (h, v) -> h.remindersSent = v)
          .build();

  private final ObjectMapper json;

  public TradeRepository(ObjectMapper json) {
    this.json = json;
  }

  /** The select list of a trade row, for the timer engine's claim. */
  public static String columns() {
    return TABLE.columns();
  }

  public static Trade read(java.sql.ResultSet rs) throws SQLException {
    return TABLE.read(rs);
  }

  public Optional<Trade> find(Connection c, String tenantId, String id) throws SQLException {
    return one(
        c,
        "select " + TABLE.columns() + " from trade where tenant_id = ? and id = ?",
        tenantId,
        id);
  }

  /** Loads the trade with a row lock, so concurrent actions on it run one after another. */
  public Optional<Trade> lock(Connection c, String tenantId, String id) throws SQLException {
    return one(
        c,
        "select " + TABLE.columns() + " from trade where tenant_id = ? and id = ? for update",
        tenantId,
        id);
  }

  /**
   * One page of the tenant's trades by id, optionally of one state and one party. A party's page is
   * read from its trade_party entries, in id order, so it costs what the party has, not what its
   * tenant has (filtering the tenant's trades by party would scan them all as the tenant grows).
   */
  public List<Trade> page(
      Connection c, String tenantId, String state, String partyId, String afterId, int limit)
      throws SQLException {
    StringBuilder sql = new StringBuilder("select " + TABLE.columns());
    if (partyId != null) {
      sql.append(
          " from trade_party p join trade on trade.id = p.trade_id"
              + " where p.party_id = ? and trade.tenant_id = ?");
    } else {
      sql.append(" from trade where tenant_id = ?");
    }
    if (state != null) {
      sql.append(" and trade.state = ?");
    }
    if (afterId != null) {
      sql.append(partyId != null ? " and p.trade_id > ?" : " and trade.id > ?");
    }
    sql.append(partyId != null ? " order by p.trade_id limit ?" : " order by trade.id limit ?");
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int i = 1;
      if (partyId != null) {
        ps.setString(i++, partyId);
      }
      ps.setString(i++, tenantId);
      if (state != null) {
        ps.setString(i++, state);
      }
      if (afterId != null) {
        ps.setString(i++, afterId);
      }
      ps.setInt(i, limit + 1);
      return TABLE.query(ps);
    }
  }

  /** The party's trades that wait on someone (it or the other side), by id. */
  public List<Trade> waitingWith(Connection c, String tenantId, String partyId)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select "
                + TABLE.columns()
                + " from trade_party p join trade on trade.id = p.trade_id"
                + " where p.party_id = ? and trade.tenant_id = ?"
                + " and trade.state in ('awaiting_reply', 'reminded') order by p.trade_id")) {
      ps.setString(1, partyId);
      ps.setString(2, tenantId);
      return TABLE.query(ps);
    }
  }

  /** Inserts new trades, and who their parties are (which never changes). */
  public void insert(Connection c, List<Trade> trades) throws SQLException {
    TABLE.insert(c, json, trades);
    // From the values, not read back from trade: a plan the server cached while the table was
    // small scanned all of it for "id = any(?)", a cost that grew with every trade.
    List<String> parties = new ArrayList<>(trades.size() * 2);
    List<String> ids = new ArrayList<>(trades.size() * 2);
    for (Trade t : trades) {
      parties.add(t.initiatorId);
      ids.add(t.id);
      parties.add(t.counterpartyId);
      ids.add(t.id);
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into trade_party (party_id, trade_id) select * from unnest(?::text[], ?::text[])")) {
      ps.setArray(1, c.createArrayOf("text", parties.toArray()));
      ps.setArray(2, c.createArrayOf("text", ids.toArray()));
      ps.executeUpdate();
    }
  }

  /**
   * Writes the trades, each of which carries its new version (one more than the stored one); throws
   * if any was changed meanwhile (the callers hold the rows locked, so that is a bug).
   */
  public void update(Connection c, List<Trade> trades) throws SQLException {
    int written = TABLE.update(c, json, trades);
    if (written != trades.size()) {
      throw new RowsNotWritten("trade", trades.size(), written);
    }
  }

  public List<TradeHistory> history(Connection c, String tradeId, Long afterId, int limit)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select "
                + HISTORY.columns()
                + " from trade_history where trade_id = ? and id > ? order by id limit ?")) {
      ps.setString(1, tradeId);
      ps.setLong(2, afterId == null ? 0L : afterId);
      ps.setInt(3, limit + 1);
      return HISTORY.query(ps);
    }
  }

  /** The note of the trade's latest history entry for {@code action}; null when none had one. */
  public String lastNote(Connection c, String tradeId, String action) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select note from trade_history where trade_id = ? and action = ?"
                + " order by id desc limit 1")) {
      ps.setString(1, tradeId);
      ps.setString(2, action);
      try (var rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** Appends history entries, in list order. */
  public void insertHistory(Connection c, List<TradeHistory> entries) throws SQLException {
    HISTORY.insert(c, json, entries);
  }

  private Optional<Trade> one(Connection c, String sql, String tenantId, String id)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, tenantId);
      ps.setString(2, id);
      List<Trade> rows = TABLE.query(ps);
      return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }
  }
}
