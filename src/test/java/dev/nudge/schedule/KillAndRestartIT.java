package dev.nudge.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
  private static final int TIMERS_PER_TRADE = 3;
  private static final String ADMIN_KEY = "nk_admin_crash_test_only_key_01234";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final List<Process> replicas = new ArrayList<>();
  private EmbeddedPostgres pg;

  @AfterEach
  void stop() throws Exception {
    for (Process p : replicas) {
      p.destroyForcibly().waitFor();
    }
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  void aKilledReplicaLosesNothingAndDoublesNothing() throws Exception {
    Path dir = Path.of("target", "crash-test");
    Files.createDirectories(dir);
    pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(dir.resolve("pg"))
            .setCleanDataDirectory(true)
            .start();

    int first = freePort();
    Process victim = start(first, dir.resolve("replica-1.log"));
    awaitReady(first);
    String key =
        post(first, ADMIN_KEY, "/v1/tenants", Map.of("name", "Crash", "mode", "live"))
            .get("apiKey")
            .asText();
    String seller = party(first, key);
    String buyer = party(first, key);
    String policy =
        post(
                first,
                key,
                "/v1/cancellation-policies",
                Map.of(
                    "name", "Crash test",
                    "maxReminders", 2,
                    "reminderInterval", "PT1H",
                    "minReminderSpacing", "PT1H",
                    "finalGrace", "PT1H",
                    "onSilence", Map.of("reply", "cancel")))
            .get("id")
            .asText();
    String template =
        post(
                first,
                key,
                "/v1/trades",
                Map.of(
                    "title", "Photo card exchange",
                    "initiatorId", seller,
                    "counterpartyId", buyer,
                    "policyId", policy,
                    "items", List.of(Map.of("from", "initiator", "description", "Card A"))))
            .get("id")
            .asText();
    post(
        first,
        key,
        "/v1/trades/" + template + "/actions",
        Map.of("type", "request_reply", "partyId", seller));
    String tenant = cloneOverdue(template);
    int total = TRADES * TIMERS_PER_TRADE;

    // Kill the replica once it is well into the work, without letting it shut down.
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> systemHistory(tenant) >= total / 5);
    victim.destroyForcibly().waitFor();
    long atKill = systemHistory(tenant);
    assertThat(atKill).as("killed mid-run").isLessThan(total);
    System.out.printf("replica killed after %d of %d timers had fired%n", atKill, total);

    int second = freePort();
    int third = freePort();
    start(second, dir.resolve("replica-2.log"));
    start(third, dir.resolve("replica-3.log"));
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                count(
                        "select count(*) from trade where tenant_id = ? and state = 'cancelled'"
                            + " and timer_at is null and id <> '"
                            + template
                            + "'",
                        tenant)
                    == TRADES);

    assertThat(systemHistory(tenant)).isEqualTo(total);
    assertThat(
            perTradeOtherThan(
                "select trade_id from reminder where tenant_id = ?"
                    + " and status = 'sent' group by trade_id having count(*) = 2 and count(distinct number) = 2",
                tenant,
                template))
        .isEqualTo(TRADES);
    assertThat(count("select count(*) from reminder where tenant_id = ?", tenant))
        .isEqualTo(2L * TRADES);
    assertThat(
            count(
                "select count(*) from event where tenant_id = ? and type = 'trade.reminder_due'",
                tenant))
        .isEqualTo(2L * TRADES);
    assertThat(
            count(
                "select count(*) from event where tenant_id = ? and type = 'trade.cancelled'",
                tenant))
        .isEqualTo(TRADES);
    assertThat(
            count(
                "select count(*) from (select subject_id from event where tenant_id = ?"
                    + " group by subject_id having max(sequence) - min(sequence) + 1 <> count(*)) gaps",
                tenant))
        .as("each trade's event sequence has no gap or repeat")
        .isZero();
    assertThat(
            count(
                "select count(*) from (select trade_id from trade_history h join trade t"
                    + " on t.id = h.trade_id where t.tenant_id = ? and h.actor = 'system'"
                    + " group by trade_id having count(*) <> 3) odd",
                tenant))
        .isZero();
  }

  private Process start(int port, Path log) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb =
        new ProcessBuilder(java, "-jar", "target/quarkus-app/quarkus-run.jar")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put(
        "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres");
    env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
    env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    env.put("NUDGE_ADMIN_KEY", ADMIN_KEY);
    env.put("NUDGE_DATA_DIR", new File("target/crash-test/data-" + port).getPath());
    // Small batches, so the kill lands between commits with work both done and in flight.
    env.put("NUDGE_SCHEDULER_BATCH_SIZE", "100");
    Process p = pb.start();
    replicas.add(p);
    return p;
  }

  private static void awaitReady(int port) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () ->
                HTTP.send(
                            HttpRequest.newBuilder(
                                    URI.create("http://localhost:" + port + "/q/health/ready"))
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200);
  }

  private static String party(int port, String key) throws Exception {
    return post(
            port,
            key,
            "/v1/parties",
            Map.of(
                "handle", "@p" + System.nanoTime(),
                "displayName", "Party",
                "locale", "en",
                "timeZone", "UTC",
                "channels", List.of(Map.of("type", "x_dm", "address", "@someone"))))
        .get("id")
        .asText();
  }

  private static JsonNode post(int port, String key, String path, Object body) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isBetween(200, 201);
    return JSON.readTree(r.body());
  }

  /**
   * Copies the awaiting trade with its first reminder due three hours ago, so its second reminder
   * and its silence rule are overdue too; returns the tenant.
   */
  private String cloneOverdue(String tradeId) throws SQLException {
    String columns =
        "tenant_id, state, version, title, initiator_id, counterparty_id, items, amount, source,"
            + " policy, awaiting_party_id, awaiting_kind, awaiting_requested_by, awaiting_since,"
            + " reminders_sent, reminders_max, reminders_last_at, silence_at, overdue_notified,"
            + " created_at, updated_at, event_seq, test_clock";
    try (Connection c = pg.getPostgresDatabase().getConnection();
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

  private long systemHistory(String tenant) throws SQLException {
    return count(
        "select count(*) from trade_history h join trade t on t.id = h.trade_id"
            + " where t.tenant_id = ? and h.actor = 'system'",
        tenant);
  }

  private long count(String sql, String param) throws SQLException {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private long perTradeOtherThan(String sql, String tenant, String template) throws SQLException {
    return count(
        "select count(*) from (" + sql + ") x where trade_id <> '" + template + "'", tenant);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
