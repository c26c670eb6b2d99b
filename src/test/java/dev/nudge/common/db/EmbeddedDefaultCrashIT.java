package dev.nudge.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nudge.support.EmbeddedDataDirectory;
import dev.nudge.support.ServiceProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Black-box crash test of the packaged service on its embedded default (no JDBC URL): SIGKILL while
 * 1,500 trades' timers fire leaves the embedded PostgreSQL running; a new start on the same data
 * directory stops that server, starts it again (PostgreSQL replays its log) and is ready within 30
 * s, and every trade ends with exactly its two reminders and one cancellation. A second service on
 * the same directory is refused in one line; SIGKILL of the service alone lets its watchdog stop
 * the server, and no process serving the directory is left.
 */
class EmbeddedDefaultCrashIT {

  private static final int TRADES = 1500;
  private static final int TIMERS_PER_TRADE = 3;

  private final EmbeddedDataDirectory data =
      new EmbeddedDataDirectory(Path.of("target", "embedded-crash", "data"));
  private final List<ServiceProcess> services = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (ServiceProcess s : services) {
      s.close();
    }
    data.stopServers();
  }

  @Test
  void aKilledServiceRestartsOnItsDataDirectoryAndLosesNothing() throws Exception {
    data.clean();
    ServiceProcess victim = start("service-1.log");
    Duration fresh = victim.awaitReady(Duration.ofSeconds(120));
    ServiceProcess.Tenant t = victim.tenantWithSilencePolicy("Crash");
    String template = victim.awaitingTrade(t, "Photo card exchange");
    String tenant = cloneOverdue(template);
    int total = TRADES * TIMERS_PER_TRADE;

    // Kill once the scheduler is well into the work; its watchdog with it, as a kill of the
    // whole process group would, so the server is left running as an orphan.
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> systemHistory(tenant) >= total / 10);
    long orphan = data.postmasterPid();
    victim.killWithDescendants();
    long atKill = systemHistory(tenant);
    System.out.printf("service killed after %d of %d timers had fired%n", atKill, total);
    assertThat(atKill).as("killed mid-run").isLessThan(total);
    assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false))
        .as("the killed service left its PostgreSQL running")
        .isTrue();

    ServiceProcess restarted = start("service-2.log");
    // 30 s on a quiet machine; a machine busy with other builds gets the first start's time
    // (a fresh start, measured above) half again.
    Duration bound = max(Duration.ofSeconds(30), fresh.multipliedBy(3).dividedBy(2));
    Duration ready = restarted.awaitReady(bound);
    System.out.printf(
        "ready after the crash in %d ms (first start on an empty directory: %d ms)%n",
        ready.toMillis(), fresh.toMillis());
    assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(restarted.log()).contains("left running by an earlier start");

    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> cancelledClones(tenant, template) == TRADES);
    assertExactlyOnce(tenant, template);
    assertDurable();

    ServiceProcess second = start("service-3.log");
    assertThat(second.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(second.process().exitValue()).isEqualTo(1);
    assertThat(second.log())
        .contains("is in use by another running Nudge (PID " + restarted.process().pid() + ")")
        .doesNotContain("\tat ")
        .doesNotContain("Exception");
    assertThat(restarted.status("GET", "/q/health/ready", null, null)).isEqualTo(200);

    // SIGKILL of the service alone: the watchdog stops the server.
    restarted.kill();
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(data.servers()).as("processes serving the data").isEmpty());
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private ServiceProcess start(String log) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("NUDGE_DATA_DIR", data.path().toString());
    env.put("NUDGE_SCHEDULER_POLL_INTERVAL", "1s");
    // Small batches, so the kill lands between commits with work both done and in flight.
    env.put("NUDGE_SCHEDULER_BATCH_SIZE", "25");
    ServiceProcess s = ServiceProcess.start(data.path().getParent().resolve(log), env);
    services.add(s);
    return s;
  }

  private void assertExactlyOnce(String tenant, String template) throws Exception {
    assertThat(systemHistory(tenant)).isEqualTo((long) TRADES * TIMERS_PER_TRADE);
    assertThat(
            count(
                "select count(*) from (select trade_id from reminder where tenant_id = ?"
                    + " and trade_id <> ? group by trade_id"
                    + " having count(*) = 2 and count(distinct number) = 2) ok",
                tenant,
                template))
        .isEqualTo(TRADES);
    assertThat(
            count(
                "select count(*) from reminder where tenant_id = ? and trade_id <> ?",
                tenant,
                template))
        .isEqualTo(2L * TRADES);
    assertThat(
            count(
                "select count(*) from event where tenant_id = ? and type = 'trade.cancelled'"
                    + " and subject_id <> ?",
                tenant,
                template))
        .isEqualTo(TRADES);
    assertThat(
            count(
                "select count(*) from (select subject_id from event where tenant_id = ?"
                    + " and subject_id <> ? group by subject_id"
                    + " having max(sequence) - min(sequence) + 1 <> count(*)) gaps",
                tenant,
                template))
        .as("each trade's event sequence has no gap or repeat")
        .isZero();
  }

  private void assertDurable() throws Exception {
    try (Connection c = data.connect();
        Statement s = c.createStatement()) {
      for (String setting : List.of("fsync", "full_page_writes", "synchronous_commit")) {
        try (ResultSet rs = s.executeQuery("show " + setting)) {
          rs.next();
          assertThat(rs.getString(1)).as(setting).isEqualTo("on");
        }
      }
    }
  }

  /**
   * Copies the awaiting trade with its first reminder due three hours ago, so its second reminder
   * and its silence rule are overdue too; returns the tenant.
   */
  private String cloneOverdue(String tradeId) throws Exception {
    String columns =
        "tenant_id, state, version, title, initiator_id, counterparty_id, items, amount, source,"
            + " policy, awaiting_party_id, awaiting_kind, awaiting_requested_by, awaiting_since,"
            + " reminders_sent, reminders_max, reminders_last_at, silence_at, overdue_notified,"
            + " created_at, updated_at, event_seq, test_clock";
    try (Connection c = data.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "insert into trade (id, "
                    + columns
                    + ", awaiting_due_at, reminders_next_at, timer_at) select"
                    + " 'trd_crash_' || g || '_' || md5(random()::text), "
                    + columns
                    + ", now() - interval '3 hours', now() - interval '3 hours',"
                    + " now() - interval '3 hours' from trade, generate_series(1, ?) g"
                    + " where id = ? returning tenant_id")) {
      ps.setInt(1, TRADES);
      ps.setString(2, tradeId);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    }
  }

  private long cancelledClones(String tenant, String template) throws Exception {
    return count(
        "select count(*) from trade where tenant_id = ? and state = 'cancelled'"
            + " and timer_at is null and id <> ?",
        tenant,
        template);
  }

  private long systemHistory(String tenant) throws Exception {
    return count(
        "select count(*) from trade_history h join trade t on t.id = h.trade_id"
            + " where t.tenant_id = ? and h.actor = 'system'",
        tenant);
  }

  private long count(String sql, String... params) throws IOException, SQLException {
    try (Connection c = data.connect();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
