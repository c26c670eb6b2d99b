package dev.nudge.schedule;

import static dev.nudge.schedule.ScheduleFixtures.act;
import static dev.nudge.schedule.ScheduleFixtures.party;
import static dev.nudge.schedule.ScheduleFixtures.trade;
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
 * one database: every due timer fires exactly once.
 */
@QuarkusTest
class TwoReplicaSchedulerTest {

  private static final int TRADES = 1000;

  @Inject TradeScheduler scheduler;
  @Inject AgroalDataSource db;

  @Test
  void twoReplicasFireEachDueTimerExactlyOnce() throws Exception {
    String key = Api.newTenant("live");
    String seller = party(key);
    String buyer = party(key);
    String template = trade(key, seller, buyer, null);
    act(key, template, "request_reply", seller);
    String tenantId = cloneDue(template, TRADES);

    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch start = new CountDownLatch(1);
    try {
      CompletableFuture<Integer> a =
          CompletableFuture.supplyAsync(() -> runAfter(start, 100), pool);
      CompletableFuture<Integer> b =
          CompletableFuture.supplyAsync(() -> runAfter(start, 100), pool);
      start.countDown();
      int fired = a.get(120, TimeUnit.SECONDS) + b.get(120, TimeUnit.SECONDS);
      assertThat(fired).isGreaterThanOrEqualTo(TRADES);
    } finally {
      pool.shutdownNow();
    }

    Map<String, Integer> reminders =
        perTrade(
            "select t.id, count(r.id) from trade t left join reminder r on r.trade_id = t.id"
                + " where t.tenant_id = ? and t.id <> ? group by t.id",
            tenantId,
            template);
    assertThat(reminders).hasSize(TRADES);
    assertThat(reminders.values()).allMatch(n -> n == 1);
    Map<String, Integer> events =
        perTrade(
            "select t.id, count(e.id) from trade t left join event e on e.subject_id = t.id"
                + " and e.type = 'trade.reminder_due' where t.tenant_id = ? and t.id <> ?"
                + " group by t.id",
            tenantId,
            template);
    assertThat(events.values()).allMatch(n -> n == 1);
    Map<String, Integer> history =
        perTrade(
            "select t.id, count(h.id) from trade t left join trade_history h on h.trade_id = t.id"
                + " and h.action = 'reminder' where t.tenant_id = ? and t.id <> ? group by t.id",
            tenantId,
            template);
    assertThat(history.values()).allMatch(n -> n == 1);
    Map<String, Integer> states =
        perTrade(
            "select id, reminders_sent from trade where tenant_id = ? and id <> ?"
                + " and state = 'reminded' and timer_at > now()",
            tenantId,
            template);
    assertThat(states).hasSize(TRADES);
    assertThat(states.values()).allMatch(n -> n == 1);
    // A third run finds nothing of this tenant left to do.
    scheduler.runDue();
    assertThat(
            perTrade(
                    "select r.trade_id, count(*) from reminder r where r.tenant_id = ? and"
                        + " r.trade_id <> ? group by r.trade_id having count(*) > 1",
                    tenantId,
                    template)
                .isEmpty())
        .isTrue();
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
   * Copies the awaiting trade {@code n} times with its reminder already due; returns the tenant.
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
                    + ", now() - interval '1 hour', now() - interval '1 hour',"
                    + " now() - interval '1 hour' from trade, generate_series(1, ?) g"
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
