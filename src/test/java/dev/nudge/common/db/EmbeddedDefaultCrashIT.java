package dev.nudge.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nudge.support.EmbeddedDataDirectory;
import dev.nudge.support.OverdueTrades;
import dev.nudge.support.ServiceProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
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
    OverdueTrades copies = new OverdueTrades(data.database(), "crash");
    copies.copy(template, TRADES, Duration.ofHours(3));
    int total = TRADES * OverdueTrades.TIMERS_PER_TRADE;

    // Kill once the scheduler is well into the work; its watchdog with it, as a kill of the
    // whole process group would, so the server is left running as an orphan.
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> copies.fired() >= total / 10);
    long orphan = data.postmasterPid();
    victim.killWithDescendants();
    long atKill = copies.fired();
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
        .until(() -> copies.cancelled() == TRADES);
    copies.assertEachFiredExactlyOnce();
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
}
