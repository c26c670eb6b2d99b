package dev.nudge.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nudge.support.OverdueTrades;
import dev.nudge.support.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Black-box crash test of the packaged service (run by failsafe after {@code package}): one replica
 * is killed with SIGKILL halfway through thousands of overdue timers; two fresh replicas then
 * finish the work against the same PostgreSQL. Every trade ends with each reminder, history entry
 * and event exactly once: nothing the killed replica had in flight is lost or done twice.
 */
class KillAndRestartIT {

  private static final int TRADES = 6000;
  private static final Path DIR = Path.of("target", "crash-test");

  private final List<ServiceProcess> replicas = new ArrayList<>();
  private EmbeddedPostgres pg;

  @AfterEach
  void stop() throws Exception {
    for (ServiceProcess r : replicas) {
      r.kill();
    }
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  void aKilledReplicaLosesNothingAndDoublesNothing() throws Exception {
    Files.createDirectories(DIR);
    pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(DIR.resolve("pg"))
            .setCleanDataDirectory(true)
            .start();

    ServiceProcess victim = start(1);
    victim.awaitReady(Duration.ofSeconds(90));
    ServiceProcess.Tenant t = victim.tenantWithSilencePolicy("Crash");
    String template = victim.awaitingTrade(t, "Photo card exchange");
    OverdueTrades copies = new OverdueTrades(pg.getPostgresDatabase(), "crash");
    copies.copy(template, TRADES, Duration.ofHours(3));
    int total = TRADES * OverdueTrades.TIMERS_PER_TRADE;

    // Kill the replica once it is well into the work, without letting it shut down.
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> copies.fired() >= total / 5);
    victim.kill();
    long atKill = copies.fired();
    assertThat(atKill).as("killed mid-run").isLessThan(total);
    System.out.printf("replica killed after %d of %d timers had fired%n", atKill, total);

    start(2);
    start(3);
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> copies.cancelled() == TRADES);
    copies.assertEachFiredExactlyOnce();
  }

  private ServiceProcess start(int n) throws IOException {
    ServiceProcess replica =
        ServiceProcess.start(
            DIR.resolve("replica-" + n + ".log"),
            Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL",
                "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres",
                "QUARKUS_DATASOURCE_USERNAME",
                "postgres",
                "QUARKUS_DATASOURCE_PASSWORD",
                "postgres",
                "NUDGE_DATA_DIR",
                DIR.resolve("data-" + n).toString(),
                // Small batches, so the kill lands between commits with work both done and in
                // flight.
                "NUDGE_SCHEDULER_BATCH_SIZE",
                "100"));
    replicas.add(replica);
    return replica;
  }
}
