package dev.nudge.trade.policy;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class PolicyRepository implements PanacheRepositoryBase<CancellationPolicy, String> {

  public Optional<CancellationPolicy> find(String tenantId, String id) {
    return find("tenantId = ?1 and id = ?2", tenantId, id).firstResultOptional();
  }

  /**
   * The policy, read in plain JDBC on {@code c} as a detached entity to read only: a trade is
   * created in a JDBC transaction (with its {@code Idempotency-Key}'s), and a read through
   * Hibernate there would take a second pooled connection for the request while the first waits.
   */
  public Optional<CancellationPolicy> find(Connection c, String tenantId, String id)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select name, reply_window, reminder_interval, max_reminders, min_reminder_spacing,"
                + " final_grace, on_silence_reply, on_silence_completion, on_silence_consent,"
                + " free_cancellation_until, created_at, version from cancellation_policy"
                + " where tenant_id = ? and id = ?")) {
      ps.setString(1, tenantId);
      ps.setString(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        CancellationPolicy p = new CancellationPolicy();
        p.id = id;
        p.tenantId = tenantId;
        p.name = rs.getString(1);
        p.replyWindow = rs.getString(2);
        p.reminderInterval = rs.getString(3);
        p.maxReminders = rs.getInt(4);
        p.minReminderSpacing = rs.getString(5);
        p.finalGrace = rs.getString(6);
        p.onSilenceReply = rs.getString(7);
        p.onSilenceCompletion = rs.getString(8);
        p.onSilenceConsent = rs.getString(9);
        p.freeCancellationUntil = rs.getString(10);
        p.createdAt = rs.getObject(11, java.time.OffsetDateTime.class).toInstant();
        p.version = rs.getInt(12);
        return Optional.of(p);
      }
    }
  }

  public List<CancellationPolicy> page(String tenantId, String afterId, int limit) {
    return (afterId == null
            ? find("tenantId = ?1", Sort.by("id"), tenantId)
            : find("tenantId = ?1 and id > ?2", Sort.by("id"), tenantId, afterId))
        .page(0, limit + 1)
        .list();
  }
}
