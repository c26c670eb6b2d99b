import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook delivery benchmark (SPEC §8). The packaged jar runs against an embedded PostgreSQL with
 * durable settings (fsync, full_page_writes, synchronous_commit on) and delivers to receivers in
 * this JVM (Vert.x servers on 127.0.0.1, one port per endpoint) that answer 200 at once, verify
 * every signature with the endpoint's secret and count every webhook-id.
 *
 * <p>A run commits N events in one transaction for a tenant with one endpoint, then for a tenant
 * with ten endpoints, then replays the first tenant's events (the claim path instead of the
 * fan-out path). The rate counts from the commit of the events to the commit of the last attempt
 * row, so fan-out, sending and the attempt log are all in it. Each Nudge run is followed by its
 * baseline: the same Vert.x client, with the same pool and in-flight limit per endpoint, posting
 * the very bodies the receivers just got, signed the same way, with no database work.
 *
 * <p>Exactly-once is checked in the happy path: every webhook-id arrives once per endpoint, every
 * delivery is succeeded after one attempt, and the attempt log has one row per delivery.
 */
public class WebhookBench {

  static final String ADMIN_KEY = "nk_admin_bench_only_key_0123456789";
  static final java.net.http.HttpClient API = java.net.http.HttpClient.newHttpClient();
  static final int NUDGE_PORT = freePort();

  static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Exits when done: Vert.x's event-loop threads would otherwise keep the JVM alive. */
  public static void main(String[] args) {
    int status = 0;
    try {
      run(args);
    } catch (Throwable e) {
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  static void run(String[] args) throws Exception {
    List<String> a = List.of(args);
    boolean quick = a.contains("--quick");
    keepGoing = a.contains("--keep-going");
    timeline = a.contains("--timeline");
    int oneN = intArg(a, "--events", quick ? 2_000 : 20_000);
    int tenN = intArg(a, "--ten-events", quick ? 300 : 3_000);
    int warm = intArg(a, "--warm-up", quick ? 300 : 6_000);
    int rounds = intArg(a, "--rounds", quick ? 1 : 3);
    int limit = intArg(a, "--in-flight", defaultInFlight());
    // BENCH_APP_DIR runs another build (an older one, for a before-and-after comparison).
    String jar = System.getenv().getOrDefault("BENCH_APP_DIR", "target/quarkus-app") + "/quarkus-run.jar";
    String jfr = stringArg(a, "--jfr", null);
    Path dir = Files.createTempDirectory("nudge-webhook-bench-pg");
    Vertx receiverVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    Receiver rx = new Receiver(receiverVertx);
    Process nudge = null;
    try (EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(dir)
            .setCleanDataDirectory(true)
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("full_page_writes", "on")
            .setServerConfig("max_connections", "200")
            .setServerConfig("shared_buffers", "256MB")
            .setServerConfig("track_commit_timestamp", "on")
            .setServerConfig("shared_preload_libraries", "pg_stat_statements")
            .start()) {
      String url = pg.getJdbcUrl("postgres", "postgres");
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.execute("create extension if not exists pg_stat_statements");
      }
      ProcessHandle postgres = postmaster(dir);
      System.out.printf(
          "PostgreSQL %s (fsync on) on port %d; in-flight limit %d per endpoint; %,d events to one"
              + " endpoint, %,d events to ten%n",
          version(url), pg.getPort(), limit, oneN, tenN);

      try {
      nudge = start(jar, url, limit, jfr);
      Process started = nudge;
      // However this JVM ends, the service it started ends with it.
      Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
      waitReady();
      Setup one = setup(rx, 1, "one");
      Setup ten = setup(rx, 10, "ten");

      // A JVM that is still compiling its hot code measures its start-up: warm both paths first.
      // On two busy cores the service's C2 compiler was still at work through a warm-up of 2,000
      // events per round (a fifth of the machine during the first measured run), hence 6,000.
      try (Connection c = DriverManager.getConnection(url)) {
        // The baseline's client runs in this JVM, which compiles it as it goes: it is warmed as
        // often as the service (a single warm-up round left it at a third of its later rate).
        HttpClient client = Baseline.client(receiverVertxFreeClient(), limit);
        for (int i = 0; i < 3; i++) {
          deliver(c, rx, one, warm, null, null);
          Baseline.run(client, rx, one, limit);
          deliver(c, rx, ten, Math.max(50, warm / 10), null, null);
          Baseline.run(client, rx, ten, limit);
        }

        // Rounds take turns (Nudge, then its baseline, one endpoint then ten) and the figures are
        // the medians: on a shared machine one run of either side can land in a busy second.
        Meters meters = new Meters(postgres, nudge.toHandle(), url);
        List<Double> ones = new ArrayList<>();
        List<Double> oneBases = new ArrayList<>();
        List<Double> tens = new ArrayList<>();
        List<Double> tenBases = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
          String of = rounds > 1 ? " (round " + round + " of " + rounds + ")" : "";
          ones.add(deliver(c, rx, one, oneN, "one endpoint" + of, meters));
          oneBases.add(baseline(client, rx, one, limit, "one endpoint" + of));
          tens.add(deliver(c, rx, ten, tenN, "ten endpoints" + of, meters));
          tenBases.add(baseline(client, rx, ten, limit, "ten endpoints" + of));
        }
        double oneRate = median(ones);
        double oneBase = median(oneBases);
        double tenRate = median(tens);
        double tenBase = median(tenBases);
        if (rounds > 1) {
          System.out.printf(
              "%nmedians of %d rounds: one endpoint %,.0f/s (rounds %s), bare client %,.0f/s (%s);"
                  + " ten endpoints %,.0f/s (%s), bare client %,.0f/s (%s)%n",
              rounds, oneRate, rates(ones), oneBase, rates(oneBases), tenRate, rates(tens), tenBase,
              rates(tenBases));
        }
        double replayRate = replay(c, rx, one, meters);

        System.out.printf(
            "%nresult  one endpoint %,.0f deliveries/s (bare client %,.0f/s, %.0f %%); ten"
                + " endpoints %,.0f deliveries/s (bare client %,.0f/s, %.0f %%); replay to one"
                + " endpoint %,.0f/s; targets 1,000/s, 3,000/s, 50 %%%n",
            oneRate,
            oneBase,
            100 * oneRate / oneBase,
            tenRate,
            tenBase,
            100 * tenRate / tenBase,
            replayRate);
        if (!failures.isEmpty()) {
          System.out.println("FAILED: " + failures.size() + " checks failed (see above)");
          System.exit(1);
        }
        System.out.println("exactly once: every webhook-id arrived once per endpoint, signatures verified");
        // The lower of the two ratios, so neither case can hide behind the other.
        double ratio = Math.min(oneRate / oneBase, tenRate / tenBase);
        System.out.printf("ratio deliveries/bare client: %.0f %%%n", 100 * ratio);
      }
      } finally {
        // The service stops before its database does, as in production.
        stop(nudge, jfr);
        nudge = null;
      }
    } finally {
      stop(nudge, jfr);
      rx.close();
      receiverVertx.close();
      if (clientVertx != null) {
        clientVertx.close();
      }
    }
  }

  /** One labelled baseline run: posts/s. */
  static double baseline(HttpClient client, Receiver rx, Setup s, int limit, String label)
      throws Exception {
    double rate = Baseline.run(client, rx, s, limit);
    System.out.printf(
        "baseline  bare client, %s: %,d posts in %.2f s: %,.0f/s (%,d connections opened)%n",
        label, rx.expected(), rx.expected() / rate, rate, rx.connections.sum());
    return rate;
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    java.util.Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static String rates(List<Double> values) {
    List<String> out = new ArrayList<>();
    values.forEach(v -> out.add(String.format("%,.0f", v)));
    return String.join(", ", out);
  }

  static void stop(Process nudge, String jfr) throws Exception {
    if (nudge == null || !nudge.isAlive()) {
      return;
    }
    if (jfr != null) {
      // Dumped from the running service: a recording dumped on exit may not finish in time.
      new ProcessBuilder("jcmd", Long.toString(nudge.pid()), "JFR.dump", "name=bench", "filename=" + jfr)
          .inheritIO()
          .start()
          .waitFor();
    }
    nudge.destroy();
    if (!nudge.waitFor(30, TimeUnit.SECONDS)) {
      nudge.destroyForcibly();
    }
  }

  static Vertx clientVertx;

  /** The baseline client gets its own event loops, as the service's client has its own JVM. */
  static Vertx receiverVertxFreeClient() {
    clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    return clientVertx;
  }

  /** A tenant with {@code count} endpoints subscribed to every event, each on its own port. */
  record Setup(String label, String tenantId, String key, List<Endpoint> endpoints) {}

  record Endpoint(String id, int port, String secret) {}

  static Setup setup(Receiver rx, int count, String label) throws Exception {
    String body =
        send("POST", ADMIN_KEY, "/v1/tenants", "{\"name\":\"Bench " + label + "\",\"mode\":\"live\"}");
    String key = field(body, "apiKey");
    String tenantId = field(body, "id");
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int port = rx.listen();
      String created =
          send(
              "POST",
              key,
              "/v1/webhook-endpoints",
              "{\"url\":\"http://127.0.0.1:" + port + "/hook\",\"eventTypes\":[\"*\"]}");
      Endpoint e = new Endpoint(field(created, "id"), port, field(created, "secret"));
      rx.secret(port, e.secret());
      endpoints.add(e);
    }
    return new Setup(label, tenantId, key, endpoints);
  }

  /**
   * Commits {@code n} events for the setup's tenant in one transaction and waits until every
   * endpoint has them and the attempt log is written; returns deliveries/s (printed when labelled).
   */
  static double deliver(
      Connection c, Receiver rx, Setup s, int n, String label, Meters meters)
      throws Exception {
    int expected = n * s.endpoints().size();
    rx.expect(s, expected, true);
    if (meters != null) {
      meters.start();
    }
    Instant committed = insertEvents(c, s.tenantId(), n);
    Instant lastAttempt = awaitRecorded(c, s, rx, Duration.ofMinutes(10));
    double seconds = Duration.between(committed, lastAttempt).toNanos() / 1e9;
    double received = Duration.between(committed, rx.lastArrival()).toNanos() / 1e9;
    checkExactlyOnce(c, s, rx, expected);
    double rate = expected / seconds;
    if (label != null) {
      System.out.printf(
          "%nnudge     %s: %,d deliveries in %.2f s from the events' commit to the last attempt"
              + " row: %,.0f deliveries/s (all received after %.2f s)%n",
          label, expected, seconds, rate, received);
      meters.report(expected);
      System.out.printf("          connections opened to the receivers: %,d%n", rx.connections.sum());
      printTimeline(rx, committed, "the events' commit");
    }
    return rate;
  }

  /** Replays the tenant's events to its endpoint: the claim path, with everything queued at once. */
  static double replay(Connection c, Receiver rx, Setup s, Meters meters) throws Exception {
    Endpoint e = s.endpoints().get(0);
    long queued;
    try (Statement st = c.createStatement();
        ResultSet r =
            st.executeQuery("select count(*) from event where tenant_id = '" + s.tenantId() + "'")) {
      r.next();
      queued = r.getLong(1);
    }
    rx.expect(s, (int) queued, false);
    meters.start();
    Instant asked = Instant.now();
    String answer =
        send(
            "POST",
            s.key(),
            "/v1/webhook-endpoints/" + e.id() + "/replay",
            "{\"since\":\"2000-01-01T00:00:00Z\"}");
    int enqueued = Integer.parseInt(field(answer, "enqueued"));
    if (enqueued != queued) {
      throw new IllegalStateException("replay enqueued " + enqueued + " of " + queued);
    }
    awaitRecorded(c, s, rx, Duration.ofMinutes(10));
    Instant last = rx.lastArrival();
    double seconds = Duration.between(asked, last).toNanos() / 1e9;
    checkExactlyOnce(c, s, rx, enqueued);
    double rate = enqueued / seconds;
    System.out.printf(
        "%nnudge     replay of %,d queued events to one endpoint: all received after %.2f s: %,.0f"
            + " deliveries/s%n",
        enqueued, seconds, rate);
    meters.report(enqueued);
    System.out.printf("          connections opened to the receivers: %,d%n", rx.connections.sum());
    printTimeline(rx, asked, "the replay's request");
    return rate;
  }

  static Instant insertEvents(Connection c, String tenantId, int n) throws Exception {
    String run = Long.toString(System.nanoTime(), 36);
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into event (id, tenant_id, type, subject_kind, subject_id, sequence, party_ids,"
                + " created_at, data) select 'evt_' || ? || lpad(g::text, 12, '0'), ?,"
                + " 'trade.created', 'trade', 'trd_' || ? || lpad(g::text, 12, '0'), 1, '{}',"
                + " now(), replace(?, '$ID', 'trd_' || ? || lpad(g::text, 12, '0'))"
                + " from generate_series(1, ?) g returning (xmin::text::bigint)")) {
      ps.setString(1, run);
      ps.setString(2, tenantId);
      ps.setString(3, run);
      ps.setString(4, TRADE_JSON);
      ps.setString(5, run);
      ps.setInt(6, n);
      long xid;
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        xid = rs.getLong(1);
      }
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery("select pg_xact_commit_timestamp('" + xid + "'::xid)")) {
        rs.next();
        return rs.getTimestamp(1).toInstant();
      }
    }
  }

  /**
   * Waits until the receivers have every expected delivery and every delivery of the tenant is
   * recorded as succeeded; returns the commit time of the last attempt row.
   */
  static Instant awaitRecorded(Connection c, Setup s, Receiver rx, Duration patience)
      throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    while (rx.unique() < rx.expected()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + rx.unique() + " of " + rx.expected() + " deliveries arrived");
      }
      Thread.sleep(5);
    }
    // Every delivery is at the receiver; its attempt row follows within milliseconds.
    while (true) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "select count(*) from webhook_delivery where status = 'pending'"
                  + " and endpoint_id = any (?)")) {
        ps.setArray(1, c.createArrayOf("text", s.endpoints().stream().map(Endpoint::id).toArray()));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getLong(1) == 0) {
            break;
          }
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("deliveries not all recorded as succeeded");
      }
      Thread.sleep(20);
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "select max(pg_xact_commit_timestamp(xmin)) from webhook_attempt"
                + " where endpoint_id = any (?)")) {
      ps.setArray(1, c.createArrayOf("text", s.endpoints().stream().map(Endpoint::id).toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getTimestamp(1).toInstant();
      }
    }
  }

  static void checkExactlyOnce(Connection c, Setup s, Receiver rx, int expected) throws Exception {
    if (rx.bad() > 0) {
      throw new IllegalStateException(rx.bad() + " deliveries failed signature verification");
    }
    if (rx.duplicates() > 0 || rx.total() != expected) {
      diagnose(c, s, rx);
      fail(
          "happy path not exactly once: "
              + rx.total()
              + " requests for "
              + expected
              + " deliveries, "
              + rx.duplicates()
              + " duplicate webhook-ids");
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "select count(*), count(*) filter (where attempts <> 1),"
                + " (select count(*) from webhook_attempt a where a.endpoint_id = any (?)),"
                + " (select count(*) from webhook_attempt a where a.endpoint_id = any (?)"
                + " and a.status <> 'succeeded')"
                + " from webhook_delivery where tenant_id = ?")) {
      var ids = c.createArrayOf("text", s.endpoints().stream().map(Endpoint::id).toArray());
      ps.setArray(1, ids);
      ps.setArray(2, ids);
      ps.setString(3, s.tenantId());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long deliveries = rs.getLong(1);
        if (rs.getLong(2) != 0 || rs.getLong(3) != deliveries || rs.getLong(4) != 0) {
          fail(
              "attempt log does not match: "
                  + deliveries
                  + " deliveries, "
                  + rs.getLong(2)
                  + " with other than one attempt, "
                  + rs.getLong(3)
                  + " attempt rows, "
                  + rs.getLong(4)
                  + " failed");
        }
      }
    }
  }

  static boolean keepGoing;
  static boolean timeline;

  /**
   * With --timeline: first arrivals per 100 ms from {@code from} (the events' commit, or the replay's
   * request), to see stalls, after the wait for the first one. The receivers count from the start
   * of the round, before the events were inserted, so the insert's own time is left out here.
   */
  static void printTimeline(Receiver rx, Instant from, String what) {
    if (!timeline) {
      return;
    }
    long offsetMillis =
        (from.getEpochSecond() * 1_000_000 + from.getNano() / 1000 - rx.phaseStartMicros) / 1000;
    java.util.TreeMap<Long, Long> steps = new java.util.TreeMap<>();
    rx.timeline.forEach((ms, n) -> steps.merge(Math.max(0, ms - offsetMillis) / 100, n.sum(), Long::sum));
    long first = rx.timeline.keySet().stream().mapToLong(Long::longValue).min().orElse(offsetMillis);
    long last = steps.isEmpty() ? 0 : steps.lastKey();
    StringBuilder line =
        new StringBuilder(
            String.format(
                "          first arrival %d ms after %s; arrivals per 100 ms from it:",
                first - offsetMillis, what));
    for (long i = 0; i <= last; i++) {
      line.append(' ').append(steps.getOrDefault(i, 0L));
    }
    System.out.println(line);
  }
  static final List<String> failures = new ArrayList<>();

  /** Stops the run, or with --keep-going (for diagnosis) notes the failure and goes on. */
  static void fail(String message) {
    if (!keepGoing) {
      throw new IllegalStateException(message);
    }
    System.out.println("FAILED: " + message);
    failures.add(message);
  }

  /** Prints what the database holds for the webhook-ids that arrived more than once. */
  static void diagnose(Connection c, Setup s, Receiver rx) throws Exception {
    int shown = 0;
    for (var e : rx.counts.entrySet()) {
      if (e.getValue().get() < 2 || shown++ >= 5) {
        continue;
      }
      String[] portAndId = e.getKey().split(" ");
      String endpoint =
          s.endpoints().stream()
              .filter(x -> x.port() == Integer.parseInt(portAndId[0]))
              .findFirst()
              .orElseThrow()
              .id();
      try (PreparedStatement ps =
          c.prepareStatement(
              "select d.id, d.status, d.attempts, d.origin, (select string_agg(coalesce(a.error,"
                  + " a.http_status::text), '; ' order by a.id) from webhook_attempt a"
                  + " where a.delivery_id = d.id) from webhook_delivery d where d.endpoint_id = ?"
                  + " and d.event_id = ?")) {
        ps.setString(1, endpoint);
        ps.setString(2, portAndId[1]);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            System.out.printf(
                "          %s received %d times: delivery %d %s, %d attempts, origin %s: %s%n",
                portAndId[1],
                e.getValue().get(),
                rs.getLong(1),
                rs.getString(2),
                rs.getInt(3),
                rs.getString(4),
                rs.getString(5));
          }
        }
      }
    }
  }

  /** CPU of PostgreSQL, the service and this JVM, and PostgreSQL's statements, per delivery. */
  static final class Meters {
    final ProcessHandle postgres;
    final ProcessHandle nudge;
    final String url;
    Duration pg0;
    Duration jvm0;
    Duration self0;

    Meters(ProcessHandle postgres, ProcessHandle nudge, String url) {
      this.postgres = postgres;
      this.nudge = nudge;
      this.url = url;
    }

    void start() throws Exception {
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.execute("select pg_stat_statements_reset()");
      }
      pg0 = tree(postgres);
      jvm0 = tree(nudge);
      // This JVM alone: the service is its child process.
      self0 = own(ProcessHandle.current());
    }

    void report(long deliveries) throws Exception {
      double pg = tree(postgres).minus(pg0).toNanos() / 1e3 / deliveries;
      double jvm = tree(nudge).minus(jvm0).toNanos() / 1e3 / deliveries;
      double self = own(ProcessHandle.current()).minus(self0).toNanos() / 1e3 / deliveries;
      System.out.printf(
          "          CPU per delivery: PostgreSQL %.0f µs, Nudge JVM %.0f µs, receiver (this JVM)"
              + " %.0f µs%n",
          pg, jvm, self);
      System.out.println(
          "          statements by PostgreSQL execution time (calls, rows, ms in total, µs per delivery):");
      try (Connection c = DriverManager.getConnection(url);
          Statement st = c.createStatement();
          ResultSet top =
              st.executeQuery(
                  "select regexp_replace(query, '\\s+', ' ', 'g'), calls, total_exec_time, rows"
                      + " from pg_stat_statements where query not like '%pg_stat_statements%'"
                      + " order by total_exec_time desc limit 8")) {
        while (top.next()) {
          String q = top.getString(1);
          System.out.printf(
              "          %7d %7d %8.0f ms %6.1f µs  %s%n",
              top.getLong(2),
              top.getLong(4),
              top.getDouble(3),
              top.getDouble(3) * 1000 / deliveries,
              q.length() > 100 ? q.substring(0, 100) + "…" : q);
        }
      }
    }
  }

  static Duration own(ProcessHandle p) {
    return p.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** CPU used so far by a process and its live descendants. */
  static Duration tree(ProcessHandle p) {
    Duration d = p.info().totalCpuDuration().orElse(Duration.ZERO);
    for (ProcessHandle child : p.descendants().toList()) {
      d = d.plus(child.info().totalCpuDuration().orElse(Duration.ZERO));
    }
    return d;
  }

  static ProcessHandle postmaster(Path dataDir) throws Exception {
    long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    return ProcessHandle.of(pid).orElseThrow();
  }

  /**
   * Receivers on 127.0.0.1, one port per endpoint: each request's signature is verified with that
   * endpoint's secret and its webhook-id counted; the answer is an immediate 200.
   */
  static final class Receiver {
    final Vertx vertx;
    final List<HttpServer> servers = new ArrayList<>();
    final Map<Integer, byte[]> keys = new ConcurrentHashMap<>();
    volatile Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    final Map<Integer, ConcurrentLinkedQueue<String[]>> bodies = new ConcurrentHashMap<>();
    final LongAdder total = new LongAdder();
    final LongAdder bad = new LongAdder();
    /** Connections opened to the receivers since the phase began (keep-alive means few). */
    final LongAdder connections = new LongAdder();
    final AtomicInteger unique = new AtomicInteger();
    final AtomicInteger duplicates = new AtomicInteger();
    final AtomicLong lastArrivalMicros = new AtomicLong();
    /** First arrivals per millisecond since the phase began, for --timeline. */
    final ConcurrentHashMap<Long, LongAdder> timeline = new ConcurrentHashMap<>();
    volatile long phaseStartMicros;
    volatile boolean keepBodies;
    volatile int expected;
    final ThreadLocal<Map<Integer, Mac>> macs = ThreadLocal.withInitial(HashMap::new);

    Receiver(Vertx vertx) {
      this.vertx = vertx;
    }

    int listen() throws Exception {
      HttpServer server =
          vertx
              .createHttpServer()
              .connectionHandler(conn -> connections.increment())
              .requestHandler(
                  req ->
                      req.body()
                          .onSuccess(
                              body -> {
                                int port = req.localAddress().port();
                                String id = req.getHeader("webhook-id");
                                String ts = req.getHeader("webhook-timestamp");
                                if (!verify(port, id, ts, body, req.getHeader("webhook-signature"))) {
                                  bad.increment();
                                }
                                total.increment();
                                AtomicInteger n =
                                    counts.computeIfAbsent(port + " " + id, k -> new AtomicInteger());
                                if (n.incrementAndGet() == 1) {
                                  unique.incrementAndGet();
                                  timeline
                                      .computeIfAbsent(
                                          (micros() - phaseStartMicros) / 1000,
                                          k -> new LongAdder())
                                      .increment();
                                  if (keepBodies) {
                                    bodies
                                        .computeIfAbsent(port, k -> new ConcurrentLinkedQueue<>())
                                        .add(new String[] {id, body.toString(StandardCharsets.UTF_8)});
                                  }
                                } else {
                                  duplicates.incrementAndGet();
                                }
                                lastArrivalMicros.accumulateAndGet(micros(), Math::max);
                                req.response().setStatusCode(200).end();
                              }))
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get();
      servers.add(server);
      return server.actualPort();
    }

    void secret(int port, String secret) {
      keys.put(port, Base64.getDecoder().decode(secret.substring("whsec_".length())));
    }

    void expect(Setup s, int expected, boolean keepBodies) {
      counts = new ConcurrentHashMap<>();
      total.reset();
      bad.reset();
      connections.reset();
      unique.set(0);
      duplicates.set(0);
      lastArrivalMicros.set(0);
      timeline.clear();
      phaseStartMicros = micros();
      this.expected = expected;
      this.keepBodies = keepBodies;
      if (keepBodies) {
        for (Endpoint e : s.endpoints()) {
          bodies.remove(e.port());
        }
      }
    }

    boolean verify(int port, String id, String ts, Buffer body, String header) {
      if (id == null || ts == null || header == null) {
        return false;
      }
      try {
        if (Math.abs(Instant.now().getEpochSecond() - Long.parseLong(ts)) > 300) {
          return false;
        }
        Mac mac =
            macs.get()
                .computeIfAbsent(
                    port,
                    p -> {
                      try {
                        Mac m = Mac.getInstance("HmacSHA256");
                        m.init(new SecretKeySpec(keys.get(p), "HmacSHA256"));
                        return m;
                      } catch (Exception e) {
                        throw new IllegalStateException(e);
                      }
                    });
        mac.update((id + "." + ts + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expectedSig = mac.doFinal(body.getBytes());
        for (String part : header.split(" ")) {
          if (part.startsWith("v1,")
              && MessageDigest.isEqual(expectedSig, Base64.getDecoder().decode(part.substring(3)))) {
            return true;
          }
        }
        return false;
      } catch (RuntimeException e) {
        return false;
      }
    }

    int expected() {
      return expected;
    }

    int unique() {
      return unique.get();
    }

    long total() {
      return total.sum();
    }

    long bad() {
      return bad.sum();
    }

    int duplicates() {
      return duplicates.get();
    }

    Instant lastArrival() {
      long m = lastArrivalMicros.get();
      return Instant.ofEpochSecond(m / 1_000_000, (m % 1_000_000) * 1000);
    }

    List<String[]> bodies(int port) {
      return new ArrayList<>(bodies.getOrDefault(port, new ConcurrentLinkedQueue<>()));
    }

    void close() {
      for (HttpServer s : servers) {
        s.close();
      }
    }
  }

  static long micros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  /**
   * The bare client: Vert.x's HttpClient as the service configures it, posting the bodies the
   * receivers got in the run just before, signed with a reused Mac per endpoint and a fresh
   * timestamp, with at most {@code limit} requests in flight per endpoint. No database.
   */
  static final class Baseline {
    static HttpClient client(Vertx vertx, int limit) {
      return vertx.createHttpClient(
          new HttpClientOptions()
              .setConnectTimeout(15_000)
              .setKeepAlive(true)
              .setVerifyHost(true)
              .setTryUseCompression(false),
          new PoolOptions().setHttp1MaxSize(Math.max(8, limit)));
    }

    /** Returns posts/s. */
    static double run(HttpClient client, Receiver rx, Setup s, int limit) throws Exception {
      List<List<String[]>> perEndpoint = new ArrayList<>();
      int expected = 0;
      for (Endpoint e : s.endpoints()) {
        List<String[]> b = rx.bodies(e.port());
        perEndpoint.add(b);
        expected += b.size();
      }
      rx.expect(s, expected, false);
      CountDownLatch done = new CountDownLatch(s.endpoints().size() * limit);
      long t0 = System.nanoTime();
      for (int i = 0; i < s.endpoints().size(); i++) {
        Endpoint e = s.endpoints().get(i);
        List<String[]> bodies = perEndpoint.get(i);
        AtomicInteger next = new AtomicInteger();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(
            new SecretKeySpec(
                Base64.getDecoder().decode(e.secret().substring("whsec_".length())), "HmacSHA256"));
        for (int w = 0; w < limit; w++) {
          clientVertx.runOnContext(v -> post(client, e, bodies, next, mac, done));
        }
      }
      if (!done.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("baseline did not finish");
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (rx.unique() != expected || rx.duplicates() != 0 || rx.bad() != 0) {
        throw new IllegalStateException(
            "baseline: " + rx.unique() + " of " + expected + " arrived, " + rx.bad() + " bad");
      }
      return expected / seconds;
    }

    static void post(
        HttpClient client,
        Endpoint e,
        List<String[]> bodies,
        AtomicInteger next,
        Mac mac,
        CountDownLatch done) {
      int i = next.getAndIncrement();
      if (i >= bodies.size()) {
        done.countDown();
        return;
      }
      String id = bodies.get(i)[0];
      byte[] body = bodies.get(i)[1].getBytes(StandardCharsets.UTF_8);
      String ts = Long.toString(Instant.now().getEpochSecond());
      String signature;
      synchronized (mac) {
        mac.update((id + "." + ts + ".").getBytes(StandardCharsets.UTF_8));
        signature = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
      }
      RequestOptions options =
          new RequestOptions()
              .setMethod(HttpMethod.POST)
              .setHost("127.0.0.1")
              .setPort(e.port())
              .setURI("/hook")
              .setIdleTimeout(15_000)
              .putHeader("content-type", "application/json")
              .putHeader("user-agent", "Nudge-Webhooks/1")
              .putHeader("webhook-id", id)
              .putHeader("webhook-timestamp", ts)
              .putHeader("webhook-signature", signature);
      client
          .request(options)
          .compose(r -> r.send(Buffer.buffer(body)))
          .compose(r -> r.body().map(b -> r.statusCode()))
          .onComplete(
              r -> {
                if (r.failed() || r.result() != 200) {
                  System.err.println("baseline post failed: " + (r.failed() ? r.cause() : r.result()));
                }
                post(client, e, bodies, next, mac, done);
              });
    }
  }

  static Process start(String jar, String url, int limit, String jfr) throws Exception {
    String opts = System.getenv().getOrDefault("BENCH_JAVA_OPTS", "");
    List<String> cmd = new ArrayList<>(List.of("java"));
    if (jfr != null) {
      cmd.add("-XX:StartFlightRecording=name=bench,settings=profile");
    }
    if (!opts.isBlank()) {
      cmd.addAll(List.of(opts.split(" ")));
    }
    cmd.addAll(List.of("-jar", jar));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.put("QUARKUS_DATASOURCE_JDBC_URL", url.replaceAll("[?&]user=.*", ""));
    env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
    env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
    env.put("QUARKUS_HTTP_PORT", Integer.toString(NUDGE_PORT));
    env.put("NUDGE_ADMIN_KEY", ADMIN_KEY);
    env.put("NUDGE_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true");
    env.put("NUDGE_WEBHOOKS_MAX_IN_FLIGHT_PER_ENDPOINT", Integer.toString(limit));
    File log = new File("target/bench-webhooks.log");
    pb.redirectErrorStream(true).redirectOutput(log);
    return pb.start();
  }

  static void waitReady() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r =
            API.send(
                HttpRequest.newBuilder(
                        URI.create("http://localhost:" + NUDGE_PORT + "/q/health/ready"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("service not ready; see target/bench-webhooks.log");
  }

  static String send(String method, String key, String path, String body) throws Exception {
    HttpResponse<String> r =
        API.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + NUDGE_PORT + path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]+)\"?").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no " + name + " in " + json);
    }
    return m.group(1);
  }

  static String stringArg(List<String> args, String name, String fallback) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
  }

  static int intArg(List<String> args, String name, int fallback) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? Integer.parseInt(args.get(i + 1)) : fallback;
  }

  /** The service's default, read from its configuration so the baseline uses the same limit. */
  static int defaultInFlight() throws Exception {
    for (String line :
        Files.readAllLines(Path.of("src/main/resources/application.properties"))) {
      if (line.startsWith("nudge.webhooks.max-in-flight-per-endpoint=")) {
        return Integer.parseInt(line.substring(line.indexOf('=') + 1).trim());
      }
    }
    throw new IllegalStateException("no nudge.webhooks.max-in-flight-per-endpoint in application.properties");
  }

  static String version(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url)) {
      return c.getMetaData().getDatabaseProductVersion();
    }
  }

  /** A trade as events carry it (the README's example), with its id left to fill in: ~1.7 KB. */
  static final String TRADE_JSON =
      "{\"id\":\"$ID\",\"state\":\"agreed\",\"version\":1,"
          + "\"title\":\"Photo card exchange\",\"initiatorId\":\"pty_seller\",\"counterpartyId\":\"pty_buyer\","
          + "\"items\":[{\"from\":\"initiator\",\"description\":\"Card A\"}],\"amount\":null,"
          + "\"source\":{\"url\":\"https://x.com/mina_trades/status/1861234567890\",\"note\":\"agreed in DM\"},"
          + "\"policy\":{\"replyWindow\":\"P3D\",\"reminderInterval\":\"P2D\",\"maxReminders\":2,"
          + "\"minReminderSpacing\":\"PT12H\",\"finalGrace\":\"P1D\",\"onSilence\":{\"reply\":\"cancel\","
          + "\"completionConfirmation\":\"complete\",\"cancellationConsent\":\"cancel\"},"
          + "\"freeCancellationUntil\":\"payment\"},\"awaiting\":null,"
          + "\"reminders\":{\"sent\":0,\"max\":2,\"lastAt\":null,\"nextAt\":null},"
          + "\"milestones\":{\"paymentConfirmedAt\":null,\"shipmentConfirmedAt\":null,\"receiptConfirmedAt\":null},"
          + "\"completions\":{\"initiator\":null,\"counterparty\":null},\"cancellation\":null,"
          + "\"allowedActions\":{\"pty_seller\":[\"request_reply\",\"confirm_payment\",\"confirm_shipment\","
          + "\"confirm_receipt\",\"confirm_completion\",\"request_cancellation\"],\"pty_buyer\":[\"request_reply\","
          + "\"confirm_payment\",\"confirm_shipment\",\"confirm_receipt\",\"confirm_completion\","
          + "\"request_cancellation\"]},\"completedAt\":null,\"createdAt\":\"2026-11-22T10:00:00Z\","
          + "\"updatedAt\":\"2026-11-22T10:00:00Z\"}";
}
