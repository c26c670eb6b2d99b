package dev.nudge.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.support.OverdueTrades;
import dev.nudge.support.Receiver;
import dev.nudge.support.ServiceProcess;
import dev.nudge.support.Sql;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Black-box test of a database outage under load: the packaged service writes trades from four
 * clients while its PostgreSQL is stopped (fast shutdown) for about ten seconds and started again.
 * The service is not restarted. While the database is away, every request answers 503 problem+json
 * within a bounded time and readiness is DOWN; afterwards readiness is UP, writes succeed again,
 * the scheduler fires timers and the webhook dispatcher delivers, and every trade that got a 2xx is
 * in the database with its event delivered.
 */
class DatabaseOutageIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration OUTAGE = Duration.ofSeconds(10);

  /** The longest any answer may take: the pool's 5 s acquisition timeout and some slack. */
  private static final Duration BOUND = Duration.ofSeconds(15);

  private final Path dir = Path.of("target", "outage-test");
  private EmbeddedPostgres pg;
  private ServiceProcess service;
  private final Receiver receiver = new Receiver();

  /** One client request and what came back. */
  private record Exchange(long startNanos, long endNanos, int status, String type, String body) {}

  @AfterEach
  void stop() throws Exception {
    receiver.close();
    if (service != null) {
      service.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  void theServiceRidesOutADatabaseOutageWithoutARestart() throws Exception {
    Path pgData = dir.resolve("pg");
    deleteTree(pgData);
    Files.createDirectories(dir);
    pg = startDatabase(pgData, 0);
    int dbPort = pg.getPort();
    service =
        ServiceProcess.start(
            dir.resolve("service.log"),
            Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL",
                    "jdbc:postgresql://localhost:" + dbPort + "/postgres",
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "QUARKUS_DATASOURCE_PASSWORD", "postgres",
                "NUDGE_DATA_DIR", dir.resolve("data").toString(),
                "NUDGE_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true",
                "NUDGE_WEBHOOKS_TIMEOUT", "5s",
                "NUDGE_WEBHOOKS_RETRY_SCHEDULE", "1s,1s,2s,2s,5s,5s,10s,10s"));
    service.awaitReady(Duration.ofSeconds(120));
    ServiceProcess.Tenant t = service.tenantWithSilencePolicy("Outage");
    service.post(
        t.key(),
        "/v1/webhook-endpoints",
        Map.of("url", receiver.url(), "eventTypes", List.of("trade.created")));

    ConcurrentLinkedQueue<Exchange> exchanges = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Exchange> readiness = new ConcurrentLinkedQueue<>();
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService clients = Executors.newFixedThreadPool(5);
    List<Future<?>> loops = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      loops.add(clients.submit(() -> writeLoop(t, running, exchanges)));
    }
    loops.add(clients.submit(() -> readinessLoop(running, readiness)));

    await().atMost(Duration.ofSeconds(60)).until(() -> created(exchanges) >= 20);
    pg.close(); // pg_ctl stop -m fast on its data directory
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> !Files.exists(pgData.resolve("postmaster.pid")));
    long down = System.nanoTime();
    await()
        .atMost(OUTAGE.multipliedBy(3))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> System.nanoTime() - down >= OUTAGE.toNanos());
    long up = System.nanoTime();
    pg = startDatabase(pgData, dbPort);
    long back = System.nanoTime();
    service.awaitReady(Duration.ofSeconds(60));
    long createdAtRecovery = created(exchanges);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> created(exchanges) >= createdAtRecovery + 20);
    running.set(false);
    for (Future<?> f : loops) {
      f.get();
    }
    clients.shutdown();

    List<Exchange> all = new ArrayList<>(exchanges);
    List<Exchange> during =
        all.stream().filter(e -> e.startNanos() > down && e.endNanos() < up).toList();
    System.out.printf(
        "%d writes: %d answered 2xx, %d during the outage (all 503)%n",
        all.size(), all.stream().filter(e -> e.status() / 100 == 2).count(), during.size());
    assertThat(all).allSatisfy(e -> assertThat(e.status()).as(e.body()).isNotEqualTo(500));
    assertThat(all)
        .allSatisfy(
            e -> {
              assertThat(e.status()).as(e.body()).isIn(201, 503);
              assertThat(Duration.ofNanos(e.endNanos() - e.startNanos())).isLessThan(BOUND);
            });
    assertThat(during).isNotEmpty();
    assertThat(during)
        .allSatisfy(
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.type()).startsWith("application/problem+json");
              assertThat(JSON.readTree(e.body()).path("status").asInt()).isEqualTo(503);
            });
    assertThat(readiness.stream().filter(e -> e.startNanos() > down && e.endNanos() < up))
        .as("readiness while the database is away")
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.status()).isEqualTo(503));
    assertThat(readiness.stream().filter(e -> e.startNanos() > back).map(Exchange::status))
        .contains(200);

    // Every 2xx write is in the database, and its event reached the receiver.
    Set<String> acknowledged =
        all.stream()
            .filter(e -> e.status() == 201)
            .map(e -> json(e.body()).path("id").asText())
            .collect(Collectors.toSet());
    assertThat(storedTrades(acknowledged)).isEqualTo(acknowledged.size());
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(delivered()).containsAll(acknowledged));

    // The scheduler kept polling: timers that fall due after the outage fire.
    String template = service.awaitingTrade(t, "After the outage");
    OverdueTrades copies = new OverdueTrades(pg.getPostgresDatabase(), "outage");
    copies.copy(template, 50, Duration.ofMinutes(1));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> copies.reminded() == 50);
    assertThat(service.process().isAlive()).isTrue();

    // The pool's warnings are bounded (its first, then one per 30 s), and the service's own lines
    // about the outage are all there: the dispatcher's and the outbox listener's warnings and their
    // recovery lines.
    List<String> lines = service.log().lines().toList();
    List<String> pool = lines.stream().filter(l -> l.contains("WARN  [io.ag.pool]")).toList();
    System.out.printf("%d warnings from the connection pool%n", pool.size());
    assertThat(pool).as("the connection pool's warnings").isNotEmpty().hasSizeLessThanOrEqualTo(4);
    assertThat(lines.stream().filter(l -> l.contains("Reporting health down status")))
        .as("the health check's reports of the outage, while readiness was probed every 50 ms")
        .isNotEmpty()
        .hasSizeLessThanOrEqualTo(4);
    assertThat(lines)
        .anyMatch(l -> l.contains("WARN") && l.contains("Webhook dispatch failed"))
        .anyMatch(l -> l.contains("INFO") && l.contains("Webhook dispatch works again after"))
        .anyMatch(
            l -> l.contains("WARN") && l.contains("Listening for outbox notifications failed"))
        .anyMatch(
            l ->
                l.contains("INFO") && l.contains("Listening for outbox notifications works again"));
    // The scheduler's poll (every second) and the refused requests (dozens a second) say so once
    // for the outage, not once a try: one warning and one recovery line, and the first refusal's
    // warning then at most one per 30 s.
    assertThat(lines.stream().filter(l -> l.contains("Timer poll")))
        .hasSize(2)
        .anyMatch(l -> l.contains("WARN") && l.contains("Timer poll failed"))
        .anyMatch(l -> l.contains("INFO") && l.contains("Timer poll works again after"));
    assertThat(lines.stream().filter(l -> l.contains("Database unavailable")))
        .isNotEmpty()
        .hasSizeLessThanOrEqualTo(4);
  }

  private void writeLoop(
      ServiceProcess.Tenant t, AtomicBoolean running, ConcurrentLinkedQueue<Exchange> out) {
    int n = 0;
    while (running.get()) {
      Map<String, Object> trade =
          Map.of(
              "title", "Outage trade " + Thread.currentThread().getId() + "-" + n++,
              "initiatorId", t.seller(),
              "counterpartyId", t.buyer(),
              "policyId", t.policy(),
              "items", List.of(Map.of("from", "initiator", "description", "Card")));
      out.add(exchange("POST", "/v1/trades", t.key(), trade));
      pause();
    }
  }

  private void readinessLoop(AtomicBoolean running, ConcurrentLinkedQueue<Exchange> out) {
    while (running.get()) {
      out.add(exchange("GET", "/q/health/ready", null, null));
      pause();
    }
  }

  private Exchange exchange(String method, String path, String key, Object body) {
    long start = System.nanoTime();
    try {
      HttpResponse<String> r = service.send(method, path, key, body);
      return new Exchange(
          start,
          System.nanoTime(),
          r.statusCode(),
          r.headers().firstValue("Content-Type").orElse(""),
          r.body());
    } catch (Exception e) {
      // A client-side timeout or a dropped connection: never acceptable, recorded as such.
      return new Exchange(start, System.nanoTime(), -1, "", e.toString());
    }
  }

  /** Paces the clients (about 20 requests a second each), so the logs stay readable. */
  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long created(ConcurrentLinkedQueue<Exchange> exchanges) {
    return exchanges.stream().filter(e -> e.status() == 201).count();
  }

  private static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (Exception e) {
      throw new IllegalStateException(body, e);
    }
  }

  private Set<String> delivered() {
    return receiver.requests().stream()
        .map(r -> json(r.body()).path("subject").path("id").asText())
        .collect(Collectors.toSet());
  }

  /** The database, kept across its restart: same directory, same port, commits synchronous. */
  private static EmbeddedPostgres startDatabase(Path pgData, int port) throws Exception {
    return EmbeddedPostgres.builder()
        .setDataDirectory(pgData)
        .setCleanDataDirectory(false)
        .setServerConfig("synchronous_commit", "on")
        .setPGStartupWait(Duration.ofSeconds(60))
        .setPort(port)
        .start();
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    if (Files.exists(root)) {
      try (var walk = Files.walk(root)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private long storedTrades(Set<String> ids) throws Exception {
    return new Sql(pg.getPostgresDatabase())
        .count("select count(*) from trade where id = any(?)", (Object) ids.toArray(String[]::new));
  }
}
