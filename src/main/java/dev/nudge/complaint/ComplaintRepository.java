package dev.nudge.complaint;

import static dev.nudge.common.db.Table.Write.FIXED;
import static dev.nudge.common.db.Table.Write.GENERATED;
import static dev.nudge.common.db.Table.Write.MUTABLE;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.db.Table;
import dev.nudge.schedule.TimerMachine.RowsNotWritten;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The complaint and complaint_history tables, for the API and the timer engine alike; columns are
 * declared once here. Statements run on the caller's connection, in the caller's transaction.
 */
@ApplicationScoped
public class ComplaintRepository {

  static final Table<Complaint> TABLE =
      Table.of("complaint", Complaint::new)
          .text(FIXED, "id", c -> c.id, (c, v) -> c.id = v)
          .text(FIXED, "tenant_id", c -> c.tenantId, (c, v) -> c.tenantId = v)
          .text(MUTABLE, "state", c -> c.state, (c, v) -> c.state = v)
          .integer(MUTABLE, "version", c -> c.version, (c, v) -> c.version = v)
          .text(FIXED, "customer_handle", c -> c.customerHandle, (c, v) -> c.customerHandle = v)
          .text(
              FIXED,
              "customer_display_name",
              c -> c.customerDisplayName,
              (c, v) -> c.customerDisplayName = v)
          .text(FIXED, "channel", c -> c.channel, (c, v) -> c.channel = v)
          .text(FIXED, "source_url", c -> c.sourceUrl, (c, v) -> c.sourceUrl = v)
          .text(FIXED, "subject", c -> c.subject, (c, v) -> c.subject = v)
          .text(FIXED, "body", c -> c.body, (c, v) -> c.body = v)
          .text(FIXED, "category", c -> c.category, (c, v) -> c.category = v)
          .text(FIXED, "severity", c -> c.severity, (c, v) -> c.severity = v)
          .text(MUTABLE, "visibility", c -> c.visibility, (c, v) -> c.visibility = v)
          .text(FIXED, "trade_id", c -> c.tradeId, (c, v) -> c.tradeId = v)
          .text(MUTABLE, "assignee", c -> c.assignee, (c, v) -> c.assignee = v)
          .integer(
              MUTABLE, "escalation_level", c -> c.escalationLevel, (c, v) -> c.escalationLevel = v)
          .json(FIXED, "terms", c -> c.terms, (c, v) -> c.terms = v)
          .instant(FIXED, "opened_at", c -> c.openedAt, (c, v) -> c.openedAt = v)
          .instant(
              MUTABLE,
              "first_response_target_at",
              c -> c.firstResponseTargetAt,
              (c, v) -> c.firstResponseTargetAt = v)
          .instant(
              MUTABLE,
              "first_response_due_at",
              c -> c.firstResponseDueAt,
              (c, v) -> c.firstResponseDueAt = v)
          .instant(
              MUTABLE,
              "first_responded_at",
              c -> c.firstRespondedAt,
              (c, v) -> c.firstRespondedAt = v)
          .bool(
              MUTABLE,
              "first_response_warned",
              c -> c.firstResponseWarned,
              (c, v) -> c.firstResponseWarned = v)
          .bool(
              MUTABLE,
              "first_response_breached",
              c -> c.firstResponseBreached,
              (c, v) -> c.firstResponseBreached = v)
          .instant(
              MUTABLE, "next_reply_since", c -> c.nextReplySince, (c, v) -> c.nextReplySince = v)
          .instant(
              MUTABLE,
              "next_reply_target_at",
              c -> c.nextReplyTargetAt,
              (c, v) -> c.nextReplyTargetAt = v)
          .instant(
              MUTABLE, "next_reply_due_at", c -> c.nextReplyDueAt, (c, v) -> c.nextReplyDueAt = v)
          .bool(
              MUTABLE, "next_reply_warned", c -> c.nextReplyWarned, (c, v) -> c.nextReplyWarned = v)
          .bool(
              MUTABLE,
              "next_reply_breached",
              c -> c.nextReplyBreached,
              (c, v) -> c.nextReplyBreached = v)
          .bool(MUTABLE, "warned", c -> c.warned, (c, v) -> c.warned = v)
          .bool(MUTABLE, "breached", c -> c.breached, (c, v) -> c.breached = v)
          .instant(MUTABLE, "paused_since", c -> c.pausedSince, (c, v) -> c.pausedSince = v)
          .instant(MUTABLE, "resolved_at", c -> c.resolvedAt, (c, v) -> c.resolvedAt = v)
          .instant(MUTABLE, "follow_up_due_at", c -> c.followUpDueAt, (c, v) -> c.followUpDueAt = v)
          .bool(
              MUTABLE,
              "follow_up_notified",
              c -> c.followUpNotified,
              (c, v) -> c.followUpNotified = v)
          .instant(FIXED, "created_at", c -> c.createdAt, (c, v) -> c.createdAt = v)
          .instant(MUTABLE, "updated_at", c -> c.updatedAt, (c, v) -> c.updatedAt = v)
          .integer(MUTABLE, "event_seq", c -> c.eventSeq, (c, v) -> c.eventSeq = v)
          .instant(MUTABLE, "timer_at", c -> c.timerAt, (c, v) -> c.timerAt = v)
          .bool(FIXED, "test_clock", c -> c.testClock, (c, v) -> c.testClock = v)
          .build();

  /** One entry of a case's append-only history. */
  public static final class Entry {
    public Long id;
    public String complaintId;
    public java.time.Instant at;
    public String actor;
    public String action;
    public String fromState;
    public String toState;
    public String note;
  }

  static final Table<Entry> HISTORY =
      Table.of("complaint_history", Entry::new)
          .bigint(GENERATED, "id", h -> h.id, (h, v) -> h.id = v)
          .text(FIXED, "complaint_id", h -> h.complaintId, (h, v) -> h.complaintId = v)
          .instant(FIXED, "at", h -> h.at, (h, v) -> h.at = v)
          .text(FIXED, "actor", h -> h.actor, (h, v) -> h.actor = v)
          .text(FIXED, "action", h -> h.action, (h, v) -> h.action = v)
          .text(FIXED, "from_state", h -> h.fromState, (h, v) -> h.fromState = v)
          .text(FIXED, "to_state", h -> h.toState, (h, v) -> h.toState = v)
          .text(FIXED, "note", h -> h.note, (h, v) -> h.note = v)
          .build();

  /** List filters; null means any. */
  public record Filter(
      String state, String severity, String category, Boolean breached, String assignee) {}

  private final ObjectMapper json;

  public ComplaintRepository(ObjectMapper json) {
    this.json = json;
  }

  public static String columns() {
    return TABLE.columns();
  }

  public static Complaint read(ResultSet rs) throws SQLException {
    return TABLE.read(rs);
  }

  public Optional<Complaint> find(Connection c, String tenantId, String id) throws SQLException {
    return one(
        c,
        "select " + TABLE.columns() + " from complaint where tenant_id = ? and id = ?",
        tenantId,
        id);
  }

  /** Loads the case with a row lock, so concurrent changes to it run one after another. */
  public Optional<Complaint> lock(Connection c, String tenantId, String id) throws SQLException {
    return one(
        c,
        "select " + TABLE.columns() + " from complaint where tenant_id = ? and id = ? for update",
        tenantId,
        id);
  }

  public List<Complaint> page(Connection c, String tenantId, Filter f, String afterId, int limit)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder("select " + TABLE.columns() + " from complaint where tenant_id = ?");
    List<Object> params = new ArrayList<>(List.of(tenantId));
    if (f.state() != null) {
      sql.append(" and state = ?");
      params.add(f.state());
    }
    if (f.severity() != null) {
      sql.append(" and severity = ?");
      params.add(f.severity());
    }
    if (f.category() != null) {
      sql.append(" and category = ?");
      params.add(f.category());
    }
    if (f.breached() != null) {
      sql.append(" and breached = ?");
      params.add(f.breached());
    }
    if (f.assignee() != null) {
      sql.append(" and assignee = ?");
      params.add(f.assignee());
    }
    if (afterId != null) {
      sql.append(" and id > ?");
      params.add(afterId);
    }
    sql.append(" order by id limit ?");
    params.add(limit + 1);
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      Table.bind(ps, params);
      return TABLE.query(ps);
    }
  }

  public void insert(Connection c, List<Complaint> rows) throws SQLException {
    TABLE.insert(c, json, rows);
  }

  /** Writes the cases, each carrying its next version; throws if any changed meanwhile. */
  public void update(Connection c, List<Complaint> rows) throws SQLException {
    int written = TABLE.update(c, json, rows);
    if (written != rows.size()) {
      throw new RowsNotWritten("complaint", rows.size(), written);
    }
  }

  public void insertHistory(Connection c, List<Entry> entries) throws SQLException {
    HISTORY.insert(c, json, entries);
  }

  public List<Entry> history(Connection c, String complaintId, Long afterId, int limit)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select "
                + HISTORY.columns()
                + " from complaint_history where complaint_id = ? and id > ? order by id limit ?")) {
      ps.setString(1, complaintId);
      ps.setLong(2, afterId == null ? 0L : afterId);
      ps.setInt(3, limit + 1);
      return HISTORY.query(ps);
    }
  }

  private Optional<Complaint> one(Connection c, String sql, String tenantId, String id)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, tenantId);
      ps.setString(2, id);
      List<Complaint> rows = TABLE.query(ps);
      return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }
  }
}
