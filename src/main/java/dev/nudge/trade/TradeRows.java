package dev.nudge.trade;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.db.JsonRows;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Trade rows read and written in sets over plain JDBC, for the scheduler: a batch of claimed rows
 * is read in one query and written back in one statement. The rows are {@link Trade} objects
 * outside any persistence context, so the domain and the codec treat them like any other.
 */
@ApplicationScoped
public class TradeRows {

  /** The columns {@link #read} expects, in a select list. */
  public static final String COLUMNS =
      "id, tenant_id, state, version, title, initiator_id, counterparty_id, items, amount, source,"
          + " policy, awaiting_party_id, awaiting_kind, awaiting_requested_by, awaiting_since,"
          + " awaiting_due_at, reminders_sent, reminders_max, reminders_last_at,"
          + " reminders_next_at, silence_at, overdue_notified, payment_confirmed_at,"
          + " shipment_confirmed_at, receipt_confirmed_at, initiator_completed_at,"
          + " counterparty_completed_at, cancellation, completed_at, created_at, updated_at,"
          + " event_seq, timer_at, test_clock";

  /**
   * Writes the state-machine columns of many rows at once; each row only if it still has the
   * version it was read with, so a row changed meanwhile is left alone (and counted out).
   */
  private static final String UPDATE =
      "update trade t set state = x.state, version = x.version,"
          + " awaiting_party_id = x.awaiting_party_id, awaiting_kind = x.awaiting_kind,"
          + " awaiting_requested_by = x.awaiting_requested_by,"
          + " awaiting_since = x.awaiting_since, awaiting_due_at = x.awaiting_due_at,"
          + " reminders_sent = x.reminders_sent, reminders_max = x.reminders_max,"
          + " reminders_last_at = x.reminders_last_at, reminders_next_at = x.reminders_next_at,"
          + " silence_at = x.silence_at, overdue_notified = x.overdue_notified,"
          + " payment_confirmed_at = x.payment_confirmed_at,"
          + " shipment_confirmed_at = x.shipment_confirmed_at,"
          + " receipt_confirmed_at = x.receipt_confirmed_at,"
          + " initiator_completed_at = x.initiator_completed_at,"
          + " counterparty_completed_at = x.counterparty_completed_at,"
          + " cancellation = x.cancellation, completed_at = x.completed_at,"
          + " updated_at = x.updated_at, event_seq = x.event_seq, timer_at = x.timer_at"
          + " from json_to_recordset(?::json) as x(id text, state text, version int,"
          + " awaiting_party_id text, awaiting_kind text, awaiting_requested_by text,"
          + " awaiting_since timestamptz, awaiting_due_at timestamptz, reminders_sent int,"
          + " reminders_max int, reminders_last_at timestamptz, reminders_next_at timestamptz,"
          + " silence_at timestamptz, overdue_notified boolean,"
          + " payment_confirmed_at timestamptz, shipment_confirmed_at timestamptz,"
          + " receipt_confirmed_at timestamptz, initiator_completed_at timestamptz,"
          + " counterparty_completed_at timestamptz, cancellation jsonb,"
          + " completed_at timestamptz, updated_at timestamptz, event_seq int,"
          + " timer_at timestamptz)"
          + " where t.id = x.id and t.version = x.version - 1";

  private static final String INSERT_HISTORY =
      "insert into trade_history (trade_id, at, actor, action, from_state, to_state, note,"
          + " evidence_url) select trade_id, at, actor, action, from_state, to_state, note,"
          + " evidence_url from rows from (json_to_recordset(?::json) as (trade_id text,"
          + " at timestamptz, actor text, action text, from_state text, to_state text,"
          + " note text, evidence_url text)) with ordinality as x(trade_id, at, actor, action,"
          + " from_state, to_state, note, evidence_url, n) order by n";

  private static final String SET_TIMERS =
      "update trade t set timer_at = x.timer_at"
          + " from json_to_recordset(?::json) as x(id text, timer_at timestamptz)"
          + " where t.id = x.id";

  private final ObjectMapper json;

  public TradeRows(ObjectMapper json) {
    this.json = json;
  }

  /** Runs {@code sql} (selecting {@link #COLUMNS}) with its parameters set by the caller. */
  public List<Trade> query(PreparedStatement ps) throws SQLException {
    List<Trade> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(read(rs));
      }
    }
    return out;
  }

  private static Trade read(ResultSet rs) throws SQLException {
    Trade t = new Trade();
    t.id = rs.getString("id");
    t.tenantId = rs.getString("tenant_id");
    t.state = rs.getString("state");
    t.version = rs.getInt("version");
    t.title = rs.getString("title");
    t.initiatorId = rs.getString("initiator_id");
    t.counterpartyId = rs.getString("counterparty_id");
    t.items = rs.getString("items");
    t.amount = rs.getString("amount");
    t.source = rs.getString("source");
    t.policy = rs.getString("policy");
    t.awaitingPartyId = rs.getString("awaiting_party_id");
    t.awaitingKind = rs.getString("awaiting_kind");
    t.awaitingRequestedBy = rs.getString("awaiting_requested_by");
    t.awaitingSince = instant(rs, "awaiting_since");
    t.awaitingDueAt = instant(rs, "awaiting_due_at");
    t.remindersSent = rs.getInt("reminders_sent");
    t.remindersMax = rs.getInt("reminders_max");
    t.remindersLastAt = instant(rs, "reminders_last_at");
    t.remindersNextAt = instant(rs, "reminders_next_at");
    t.silenceAt = instant(rs, "silence_at");
    t.overdueNotified = rs.getBoolean("overdue_notified");
    t.paymentConfirmedAt = instant(rs, "payment_confirmed_at");
    t.shipmentConfirmedAt = instant(rs, "shipment_confirmed_at");
    t.receiptConfirmedAt = instant(rs, "receipt_confirmed_at");
    t.initiatorCompletedAt = instant(rs, "initiator_completed_at");
    t.counterpartyCompletedAt = instant(rs, "counterparty_completed_at");
    t.cancellation = rs.getString("cancellation");
    t.completedAt = instant(rs, "completed_at");
    t.createdAt = instant(rs, "created_at");
    t.updatedAt = instant(rs, "updated_at");
    t.eventSeq = rs.getInt("event_seq");
    t.timerAt = instant(rs, "timer_at");
    t.testClock = rs.getBoolean("test_clock");
    return t;
  }

  /**
   * Writes the rows, each of which must carry its new version (one more than the stored one);
   * returns how many were written.
   */
  public int update(Connection c, List<Trade> trades) throws SQLException {
    if (trades.isEmpty()) {
      return 0;
    }
    JsonRows rows = new JsonRows(json, trades.size());
    for (Trade t : trades) {
      rows.row()
          .put("id", t.id)
          .put("state", t.state)
          .put("version", t.version)
          .put("awaiting_party_id", t.awaitingPartyId)
          .put("awaiting_kind", t.awaitingKind)
          .put("awaiting_requested_by", t.awaitingRequestedBy)
          .put("awaiting_since", t.awaitingSince)
          .put("awaiting_due_at", t.awaitingDueAt)
          .put("reminders_sent", t.remindersSent)
          .put("reminders_max", t.remindersMax)
          .put("reminders_last_at", t.remindersLastAt)
          .put("reminders_next_at", t.remindersNextAt)
          .put("silence_at", t.silenceAt)
          .put("overdue_notified", t.overdueNotified)
          .put("payment_confirmed_at", t.paymentConfirmedAt)
          .put("shipment_confirmed_at", t.shipmentConfirmedAt)
          .put("receipt_confirmed_at", t.receiptConfirmedAt)
          .put("initiator_completed_at", t.initiatorCompletedAt)
          .put("counterparty_completed_at", t.counterpartyCompletedAt)
          .putJson("cancellation", t.cancellation)
          .put("completed_at", t.completedAt)
          .put("updated_at", t.updatedAt)
          .put("event_seq", t.eventSeq)
          .put("timer_at", t.timerAt);
    }
    return execute(c, UPDATE, rows);
  }

  /** Appends history entries, in list order. */
  public void insertHistory(Connection c, List<TradeHistory> entries) throws SQLException {
    if (entries.isEmpty()) {
      return;
    }
    JsonRows rows = new JsonRows(json, entries.size());
    for (TradeHistory h : entries) {
      rows.row()
          .put("trade_id", h.tradeId)
          .put("at", h.at)
          .put("actor", h.actor)
          .put("action", h.action)
          .put("from_state", h.fromState)
          .put("to_state", h.toState)
          .put("note", h.note)
          .put("evidence_url", h.evidenceUrl);
    }
    execute(c, INSERT_HISTORY, rows);
  }

  /** Sets only the timer of each row (to its {@code timerAt}), leaving the trade as it is. */
  public void setTimers(Connection c, List<Trade> trades) throws SQLException {
    if (trades.isEmpty()) {
      return;
    }
    JsonRows rows = new JsonRows(json, trades.size());
    for (Trade t : trades) {
      rows.row().put("id", t.id).put("timer_at", t.timerAt);
    }
    execute(c, SET_TIMERS, rows);
  }

  private static int execute(Connection c, String sql, JsonRows rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, rows.json());
      return ps.executeUpdate();
    }
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime v = rs.getObject(column, OffsetDateTime.class);
    return v == null ? null : v.toInstant();
  }
}
