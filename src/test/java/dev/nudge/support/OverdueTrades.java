package dev.nudge.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Thousands of awaiting trades whose timers are overdue, for the black-box scheduler tests: copies
 * of one awaiting trade made in SQL (the API would take minutes to create them), and what the
 * scheduler wrote for them. The copies' ids start with a prefix of the test's own, so every count
 * is of the copies alone.
 *
 * <p>With the silence policy of {@link ServiceProcess#tenantWithSilencePolicy}, a copy has three
 * timers to fire: two reminders, then the cancellation on silence.
 */
public final class OverdueTrades {

  /** The timers each copy fires: reminder 1, reminder 2, cancellation on silence. */
  public static final int TIMERS_PER_TRADE = 3;

  private static final String COPIED_COLUMNS =
      "tenant_id, state, version, title, initiator_id, counterparty_id, items, amount, source,"
          + " policy, awaiting_party_id, awaiting_kind, awaiting_requested_by, awaiting_since,"
          + " reminders_sent, reminders_max, reminders_last_at, silence_at, overdue_notified,"
          + " created_at, updated_at, event_seq, test_clock";

  private final DataSource db;
  private final Sql sql;
  private final String like;
  private String tenant;
  private int copies;

  /** Copies get ids {@code trd_<name>_<n>_<random>}. */
  public OverdueTrades(DataSource db, String name) {
    this.db = db;
    this.sql = new Sql(db);
    this.like = "trd_" + name + "_%";
  }

  /**
   * Copies the awaiting trade {@code n} times with its first reminder due {@code overdueBy} ago
   * (three hours makes the second reminder and the silence rule overdue too); returns the tenant.
   */
  public String copy(String tradeId, int n, Duration overdueBy) throws SQLException {
    String due = "now() - make_interval(secs => " + overdueBy.toSeconds() + ")";
    tenant =
        sql.string(
            "insert into trade (id, "
                + COPIED_COLUMNS
                + ", awaiting_due_at, reminders_next_at, timer_at) select"
                + " replace(?, '%', '') || g || '_' || md5(random()::text), "
                + COPIED_COLUMNS
                + ", "
                + due
                + ", "
                + due
                + ", "
                + due
                + " from trade, generate_series(1, ?) g where id = ? returning tenant_id",
            like,
            n,
            tradeId);
    copies = n;
    return tenant;
  }

  public int copies() {
    return copies;
  }

  /** Timers fired on the copies so far: the scheduler's history entries. */
  public long fired() throws SQLException {
    return sql.count(
        "select count(*) from trade_history h join trade t on t.id = h.trade_id"
            + " where t.tenant_id = ? and h.actor = 'system' and t.id like ?",
        tenant,
        like);
  }

  /** Copies cancelled on silence with no timer left. */
  public long cancelled() throws SQLException {
    return sql.count(
        "select count(*) from trade where tenant_id = ? and state = 'cancelled'"
            + " and timer_at is null and id like ?",
        tenant,
        like);
  }

  /** Copies with at least one reminder. */
  public long reminded() throws SQLException {
    return sql.count(
        "select count(distinct trade_id) from reminder where tenant_id = ? and trade_id like ?",
        tenant,
        like);
  }

  /** The ids of the copies' {@code trade.reminder_due} events. */
  public Set<String> reminderEvents() throws SQLException {
    Set<String> ids = new HashSet<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select id from event where tenant_id = ? and type = 'trade.reminder_due'"
                    + " and subject_id like ?")) {
      ps.setString(1, tenant);
      ps.setString(2, like);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  /**
   * Every copy fired each of its timers exactly once: three history entries, two reminders sent
   * (numbers 1 and 2), their two events and one cancellation event, and an event sequence with no
   * gap or repeat.
   */
  public void assertEachFiredExactlyOnce() throws SQLException {
    assertThat(fired()).isEqualTo((long) copies * TIMERS_PER_TRADE);
    assertThat(
            sql.count(
                "select count(*) from (select trade_id from trade_history h join trade t"
                    + " on t.id = h.trade_id where t.tenant_id = ? and h.actor = 'system'"
                    + " and t.id like ? group by trade_id having count(*) <> ?) odd",
                tenant,
                like,
                TIMERS_PER_TRADE))
        .as("copies without exactly one history entry per timer")
        .isZero();
    assertThat(
            sql.count(
                "select count(*) from (select trade_id from reminder where tenant_id = ?"
                    + " and trade_id like ? and status = 'sent' group by trade_id"
                    + " having count(*) = 2 and count(distinct number) = 2) ok",
                tenant,
                like))
        .isEqualTo(copies);
    assertThat(
            sql.count(
                "select count(*) from reminder where tenant_id = ? and trade_id like ?",
                tenant,
                like))
        .isEqualTo(2L * copies);
    assertThat(events("trade.reminder_due")).isEqualTo(2L * copies);
    assertThat(events("trade.cancelled")).isEqualTo(copies);
    assertThat(
            sql.count(
                "select count(*) from (select subject_id from event where tenant_id = ?"
                    + " and subject_id like ? group by subject_id"
                    + " having max(sequence) - min(sequence) + 1 <> count(*)) gaps",
                tenant,
                like))
        .as("copies whose event sequence has a gap or a repeat")
        .isZero();
  }

  private long events(String type) throws SQLException {
    return sql.count(
        "select count(*) from event where tenant_id = ? and type = ? and subject_id like ?",
        tenant,
        type,
        like);
  }
}
