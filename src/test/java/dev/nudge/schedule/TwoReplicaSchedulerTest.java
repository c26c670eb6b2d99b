package dev.nudge.schedule;

import static dev.nudge.support.Fixtures.act;
import static dev.nudge.support.Fixtures.party;
import static dev.nudge.support.Fixtures.policy;
import static dev.nudge.support.Fixtures.trade;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nudge.support.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two scheduler "replicas" (two threads, each with its own transactions and connections) against
 * one database, over 5,000 trades with three timers each (reminder 1, reminder 2, the silence rule
 * cancelling the trade), all overdue: every timer fires exactly once, in order.
 */
@QuarkusTest
class TwoReplicaSchedulerTest {

  private static final int TRADES = 5000;

  @Inject TimerEngine scheduler;
  @Inject AgroalDataSource db;

  @Test
  void twoReplicasFireEachDueTimerExactlyOnce() throws Exception {
    String key = Api.newTenant("live");
    String seller = party(key);
    String buyer = party(key);
    String policy =
        policy(
            key,
            Map.of(
                "maxReminders", 2,
                "reminderInterval", "PT1H",
                "minReminderSpacing", "PT1H",
                "finalGrace", "PT1H",
                "onSilence", Map.of("reply", "cancel")));
    String template = trade(key, seller, buyer, policy);
    act(key, template, "request_reply", seller);
    String tenantId = cloneDue(template, TRADES);

    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch start = new CountDownLatch(1);
    try {
      CompletableFuture<Integer> a =
          CompletableFuture.supplyAsync(() -> runAfter(start, 200), pool);
      CompletableFuture<Integer> b =
          CompletableFuture.supplyAsync(() -> runAfter(start, 200), pool);
      start.countDown();
      int fired = a.get(300, TimeUnit.SECONDS) + b.get(300, TimeUnit.SECONDS);
      assertThat(fired).isGreaterThanOrEqualTo(3 * TRADES);
    } finally {
      pool.shutdownNow();
    }

    Map<String, Integer> reminders =
        perTrade(
            "select t.id, count(r.id) from trade t left join reminder r on r.trade_id = t.id"
                + " and r.status = 'sent' where t.tenant_id = ? and t.id <> ? group by t.id",
            tenantId,
            template);
    assertThat(reminders).hasSize(TRADES);
    assertThat(reminders.values()).allMatch(n -> n == 2);
    Map<String, Integer> numbers =
        perTrade(
            "select t.id, count(distinct r.number) from trade t join reminder r"
                + " on r.trade_id = t.id where t.tenant_id = ? and t.id <> ? group by t.id",
            tenantId,
            template);
    assertThat(numbers.values()).allMatch(n -> n == 2);
    assertThat(perType("trade.reminder_due", tenantId, template)).allMatch(n -> n == 2);
    assertThat(perType("trade.cancelled", tenantId, template)).allMatch(n -> n == 1);
    assertThat(perType("trade.state_changed", tenantId, template)).allMatch(n -> n == 2);
    Map<String, Integer> history =
        perTrade(
            "select t.id, count(h.id) from trade t left join trade_history h on h.trade_id = t.id"
                + " and h.actor = 'system' where t.tenant_id = ? and t.id <> ? group by t.id",
            tenantId,
            template);
    assertThat(history.values()).allMatch(n -> n == 3);
    Map<String, Integer> ordered =
        perTrade(
            "select trade_id, count(*) from (select trade_id, action, lag(action) over w as prev,"
                + " at, lag(at) over w as prev_at from trade_history where actor = 'system'"
                + " and trade_id in (select id from trade where tenant_id = ? and id <> ?)"
                + " window w as (partition by trade_id order by id)) h"
                + " where prev is not null and (at <= prev_at or action = prev and action ="
                + " 'silence') group by trade_id",
            tenantId,
            template);
    assertThat(ordered).as("history entries out of order or repeated").isEmpty();
    Map<String, Integer> states =
        perTrade(
            "select id, reminders_sent from trade where tenant_id = ? and id <> ?"
                + " and state = 'cancelled' and timer_at is null",
            tenantId,
            template);
    assertThat(states).hasSize(TRADES);
    assertThat(states.values()).allMatch(n -> n == 2);
    // A third run finds nothing of this tenant left to do.
    scheduler.runDue();
    assertThat(
            perTrade(
                    "select r.trade_id, count(*) from reminder r where r.tenant_id = ? and"
                        + " r.trade_id <> ? group by r.trade_id having count(*) > 2",
                    tenantId,
                    template)
                .isEmpty())
        .isTrue();
  }

  /** Per trade of the tenant (but the template), how many events of {@code type} it has. */
  private java.util.Collection<Integer> perType(String type, String tenantId, String template) {
    Map<String, Integer> counts =
        perTrade(
            "select t.id, count(e.id) from trade t left join event e on e.subject_id = t.id"
                + " and e.type = '"
                + type
                + "' where t.tenant_id = ? and t.id <> ? group by t.id",
            tenantId,
            template);
    assertThat(counts).hasSize(TRADES);
    return counts.values();
  }

  private int runAfter(CountDownLatch start, int batch) {
    try {
      start.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return scheduler.runDue(batch);
  }

  /**
   * Copies the awaiting trade {@code n} times with its first reminder due three hours ago, so its
   * second reminder and its silence rule are overdue too; returns the tenant.
   */
  private String cloneDue(String tradeId, int n) throws SQLException {
    String columns =
        "tenant_id, state, version, title, initiator_id, counterparty_id, items, amount, source,"
            + " policy, awaiting_party_id, awaiting_kind, awaiting_requested_by, awaiting_since,"
            + " reminders_sent, reminders_max, reminders_last_at, silence_at, overdue_notified,"
            + " created_at, updated_at, event_seq, test_clock";
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "insert into trade (id, "
                    + columns
                    + ", awaiting_due_at, reminders_next_at, timer_at) select"
                    + " 'trd_clone_' || g || '_' || md5(random()::text), "
                    + columns
                    + ", now() - interval '3 hours', now() - interval '3 hours',"
                    + " now() - interval '3 hours' from trade, generate_series(1, ?) g"
                    + " where id = ?")) {
      ps.setInt(1, n);
      ps.setString(2, tradeId);
      assertThat(ps.executeUpdate()).isEqualTo(n);
    }
    return perTrade("select tenant_id, 0 from trade where id = ? and id <> ?", tradeId, "")
        .keySet()
        .iterator()
        .next();
  }

  private Map<String, Integer> perTrade(String sql, String a, String b) {
    Map<String, Integer> out = new HashMap<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, a);
      ps.setString(2, b);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getInt(2));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}
