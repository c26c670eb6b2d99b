package dev.nudge.trade.policy;

import static dev.nudge.common.db.Table.Write.FIXED;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.db.Table;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The cancellation_policy table (a policy never changes once created); statements run on the
 * caller's connection and transaction.
 */
@ApplicationScoped
public class PolicyRepository {

  static final Table<CancellationPolicy> TABLE =
      Table.of("cancellation_policy", CancellationPolicy::new)
          .text(FIXED, "id", p -> p.id, (p, v) -> p.id = v)
          .text(FIXED, "tenant_id", p -> p.tenantId, (p, v) -> p.tenantId = v)
          .text(FIXED, "name", p -> p.name, (p, v) -> p.name = v)
          .text(FIXED, "reply_window", p -> p.replyWindow, (p, v) -> p.replyWindow = v)
          .text(
              FIXED, "reminder_interval", p -> p.reminderInterval, (p, v) -> p.reminderInterval = v)
          .integer(FIXED, "max_reminders", p -> p.maxReminders, (p, v) -> p.maxReminders = v)
          .text(
              FIXED,
              "min_reminder_spacing",
              p -> p.minReminderSpacing,
              (p, v) -> p.minReminderSpacing = v)
          .text(FIXED, "final_grace", p -> p.finalGrace, (p, v) -> p.finalGrace = v)
          .text(FIXED, "on_silence_reply", p -> p.onSilenceReply, (p, v) -> p.onSilenceReply = v)
          .text(
              FIXED,
              "on_silence_completion",
              p -> p.onSilenceCompletion,
              (p, v) -> p.onSilenceCompletion = v)
          .text(
              FIXED,
              "on_silence_consent",
              p -> p.onSilenceConsent,
              (p, v) -> p.onSilenceConsent = v)
          .text(
              FIXED,
              "free_cancellation_until",
              p -> p.freeCancellationUntil,
              (p, v) -> p.freeCancellationUntil = v)
          .instant(FIXED, "created_at", p -> p.createdAt, (p, v) -> p.createdAt = v)
          .integer(FIXED, "version", p -> p.version, (p, v) -> p.version = v)
          .build();

  private final ObjectMapper json;

  public PolicyRepository(ObjectMapper json) {
    this.json = json;
  }

  /** The tenant's policy, on {@code c} (a trade reads its policy in its own transaction). */
  public Optional<CancellationPolicy> find(Connection c, String tenantId, String id)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select "
                + TABLE.columns()
                + " from cancellation_policy where tenant_id = ? and id = ?")) {
      ps.setString(1, tenantId);
      ps.setString(2, id);
      return TABLE.one(ps);
    }
  }

  public List<CancellationPolicy> page(Connection c, String tenantId, String afterId, int limit)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select "
                + TABLE.columns()
                + " from cancellation_policy where tenant_id = ? and id > ? order by id limit ?")) {
      ps.setString(1, tenantId);
      ps.setString(2, afterId == null ? "" : afterId);
      ps.setInt(3, limit + 1);
      return TABLE.query(ps);
    }
  }

  public void insert(Connection c, CancellationPolicy p) throws SQLException {
    TABLE.insert(c, json, List.of(p));
  }
}
