import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Scheduler benchmark (SPEC §8): N trades fall due at once; Nudge replicas (the packaged jar, one
 * and then two) advance each to "reminded" with reminder 1, writing the row, the history entry,
 * the reminder record (rendered text) and two events. The baseline, run in the same PostgreSQL, is
 * the set-based SQL ceiling of ../shared/peers/scheduler: one statement per 1,000 rows moving a
 * minimal trade row and writing minimal history and outbox rows, two workers.
 *
 * <p>Rates are taken from commit timestamps (track_commit_timestamp): from the commit that made
 * the trades due to the last commit of the run, so the up-to-one-second wait for the next poll is
 * included.
 */
public class SchedulerBench {

  static final String ADMIN_KEY = "nk_admin_bench_only_key_0123456789";
  static final HttpClient HTTP = HttpClient.newHttpClient();

  /** The replicas running, for JFR recordings of the measured runs ({@code --jfr}). */
  static final List<Process> REPLICAS = new ArrayList<>();

  static boolean jfr;

  /** The data directory of this run's PostgreSQL, which names its postmaster. */
  static String PG_DIR;

  public static void main(String[] args) throws Exception {
    List<String> flags = List.of(args).stream().filter(a -> a.startsWith("--")).toList();
    List<String> numbers = List.of(args).stream().filter(a -> !a.startsWith("--")).toList();
    int n = numbers.isEmpty() ? 100_000 : Integer.parseInt(numbers.get(0).replace(",", ""));
    boolean sqlOnly = flags.contains("--sql-only");
    jfr = flags.contains("--jfr");
    quick = flags.contains("--quick");
    String jar = "target/quarkus-app/quarkus-run.jar";
    Path dir = Files.createTempDirectory("nudge-bench-pg");
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
      PG_DIR = dir.toString();
      System.out.printf("PostgreSQL %s on port %d; %d trades per run%n", version(url), pg.getPort(), n);

      double ceiling = baseline(url, n);
      System.out.printf("baseline  set-based SQL, 1,000 rows per statement, 2 workers: %,.0f transitions/s%n", ceiling);
      double oldSchema = sameWork(pg, "old", n, 5);
      System.out.printf("same-work SQL on the schema of migrations V1-V5: %,.0f transitions/s%n", oldSchema);
      double newSchema = sameWork(pg, "new", n, Integer.MAX_VALUE);
      System.out.printf("same-work SQL on today's schema (all migrations): %,.0f transitions/s%n", newSchema);
      if (flags.contains("--variants")) {
        variants(pg, n, newSchema);
      }
      if (sqlOnly) {
        System.out.printf("ratio same-work new/old schema: %.2f%n", newSchema / oldSchema);
        return;
      }

      List<Process> replicas = REPLICAS;
      try {
        replicas.add(start(jar, url, 18081, "replica-1"));
        waitReady(18081);
        // Replicas run for days; a measurement of a JVM that is still compiling its hot code
        // would be one of start-up. Each setup first advances timers untimed, in bursts, until the
        // JIT is done (warmUp): whichever replica polls first takes a burst, so with two both get
        // warm.
        warmUp(url, n);
        clearWarmUp(url);
        double one = run(url, 18081, n, "one replica");
        // --rounds=R: R - 1 more rounds of the same-work SQL and one replica, each pair run back to
        // back, so that the ratio is the median of pairs measured minutes apart rather than one
        // pair on a machine whose speed drifts between runs.
        List<double[]> pairs = new ArrayList<>();
        pairs.add(new double[] {newSchema, one});
        for (int round = 2; round <= rounds(flags); round++) {
          System.out.printf("%nround %d of %d%n", round, rounds(flags));
          double sql = sameWork(pg, "new", n, Integer.MAX_VALUE);
          System.out.printf("same-work SQL on today's schema (all migrations): %,.0f transitions/s%n", sql);
          clearWarmUp(url);
          pairs.add(new double[] {sql, run(url, 18081, n, "one replica")});
        }
        if (pairs.size() > 1) {
          System.out.printf("%nrounds (same-work SQL, one replica, ratio): %s%n", String.join("; ",
              pairs.stream().map(p -> String.format("%,.0f/s, %,.0f/s, %.0f %%", p[0], p[1], 100 * p[1] / p[0])).toList()));
          one = median(pairs.stream().mapToDouble(p -> p[1]).toArray());
          newSchema = median(pairs.stream().mapToDouble(p -> p[0]).toArray());
        }
        double ratio = median(pairs.stream().mapToDouble(p -> p[1] / p[0]).toArray());
        if (flags.contains("--one-replica")) {
          System.out.printf("%nresult  from the first batch: one replica %,.0f/s (%.0f %% of baseline); target 15,000/s%n",
              one, 100 * one / ceiling);
          System.out.printf("ratio one replica/same-work new schema: %.0f %%%n", 100 * ratio);
          return;
        }
        replicas.add(start(jar, url, 18082, "replica-2"));
        waitReady(18082);
        warmUp(url, n);
        clearWarmUp(url);
        double two = run(url, 18081, n, "two replicas");
        System.out.printf("%nresult  from the first batch: one replica %,.0f/s (%.0f %% of baseline), two replicas %,.0f/s (%.0f %% of baseline); target 15,000/s%n",
            one, 100 * one / ceiling, two, 100 * two / ceiling);
        System.out.printf("ratio two replicas/one replica: %.2f%n", two / one);
        System.out.printf("ratio same-work new/old schema: %.2f%n", newSchema / oldSchema);
        System.out.printf("ratio one replica/same-work new schema: %.0f %%%n", 100 * ratio);
      } finally {
        for (Process p : replicas) {
          p.destroy();
          p.waitFor();
        }
      }
    }
  }

  /** {@code --rounds=R}: rounds of the same-work SQL and one replica (1 unless given). */
  static int rounds(List<String> flags) {
    return flags.stream().filter(f -> f.startsWith("--rounds=")).map(f -> Integer.parseInt(f.substring(9)))
        .findFirst().orElse(1);
  }

  /** The median (of an odd count, the middle; of an even one, the mean of the middle two). */
  static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  static double run(String url, int port, int n, String label) throws Exception {
    String key = tenant(port);
    String seller = party(port, key);
    String buyer = party(port, key);
    String trade = post(port, key, "/v1/trades",
        "{\"title\":\"Photo card exchange\",\"initiatorId\":\"" + seller + "\",\"counterpartyId\":\""
            + buyer + "\",\"items\":[{\"from\":\"initiator\",\"description\":\"Card A\"}]}", "id");
    post(port, key, "/v1/trades/" + trade + "/actions",
        "{\"type\":\"request_reply\",\"partyId\":\"" + seller + "\"}", "id");
    String columns =
        "tenant_id, state, version, title, initiator_id, counterparty_id, items, amount, source,"
            + " policy, awaiting_party_id, awaiting_kind, awaiting_requested_by, awaiting_since,"
            + " reminders_sent, reminders_max, reminders_last_at, silence_at, overdue_notified,"
            + " created_at, updated_at, event_seq, test_clock";
    try (Connection c = DriverManager.getConnection(url)) {
      String tenant;
      try (PreparedStatement ps = c.prepareStatement("select tenant_id from trade where id = ?")) {
        ps.setString(1, trade);
        ResultSet rs = ps.executeQuery();
        rs.next();
        tenant = rs.getString(1);
      }
      try (Statement s = c.createStatement()) {
        // Each run starts from a vacuumed, analysed database, so autovacuum catching up on the
        // previous run does not bill its work to this one.
        s.execute("vacuum analyze");
      }
      Instant seeded;
      try (PreparedStatement ps = c.prepareStatement(
          "insert into trade (id, " + columns + ", awaiting_due_at, reminders_next_at, timer_at)"
              + " select 'trd_bench_' || g || '_' || md5(random()::text), " + columns
              + ", now(), now(), now() from trade, generate_series(1, ?) g where id = ?")) {
        ps.setInt(1, n);
        ps.setString(2, trade);
        ps.executeUpdate();
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(
              "select max(pg_xact_commit_timestamp(xmin)) from trade where id like 'trd_bench_%' and tenant_id = '" + tenant + "'")) {
        rs.next();
        seeded = rs.getTimestamp(1).toInstant();
      }
      try (Statement s = c.createStatement()) {
        s.execute("create extension if not exists pg_stat_statements");
        s.execute("select pg_stat_statements_reset()");
      }
      Duration pgCpu0 = postgresCpu();
      Map<String, Long> threads0 = threadCpu();
      boolean recording = jfr && label != null;
      if (recording) {
        for (Process p : REPLICAS) {
          jcmd(p, "JFR.start", "name=bench", "settings=profile");
        }
      }
      long started = System.nanoTime();
      while (true) {
        Thread.sleep(500);
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery(
                "select exists (select 1 from trade where timer_at <= '" + seeded + "' and not test_clock)")) {
          rs.next();
          if (!rs.getBoolean(1)) {
            break;
          }
        }
        if (System.nanoTime() - started > Duration.ofMinutes(10).toNanos()) {
          throw new IllegalStateException("not done after 10 minutes");
        }
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(
              "select count(*), count(*) filter (where reminders_sent = 1 and state = 'reminded'),"
                  + " min(pg_xact_commit_timestamp(xmin)), max(pg_xact_commit_timestamp(xmin))"
                  + " from trade where tenant_id = '" + tenant + "' and id like 'trd_bench_%'")) {
        rs.next();
        long total = rs.getLong(1);
        long reminded = rs.getLong(2);
        Instant first = rs.getTimestamp(3).toInstant();
        Instant last = rs.getTimestamp(4).toInstant();
        long reminders = single(c, "select count(*) from reminder where tenant_id = '" + tenant + "' and status = 'sent'");
        long events = single(c, "select count(*) from event where tenant_id = '" + tenant + "' and type = 'trade.reminder_due'");
        long history = single(c, "select count(*) from trade_history h join trade t on t.id = h.trade_id where t.tenant_id = '" + tenant + "' and h.action = 'reminder'");
        double seconds = Duration.between(seeded, last).toNanos() / 1e9;
        double processing = Duration.between(first, last).toNanos() / 1e9;
        if (label == null) {
          return reminded / processing;
        }
        List<Path> recordings = new ArrayList<>();
        if (recording) {
          for (Process p : REPLICAS) {
            Path file = Path.of("target", "bench-scheduler-" + label.replace(' ', '-') + "-" + p.pid() + ".jfr").toAbsolutePath();
            jcmd(p, "JFR.dump", "name=bench", "filename=" + file);
            jcmd(p, "JFR.stop", "name=bench");
            recordings.add(file);
          }
        }
        System.out.printf("nudge     %s: %,d trades advanced in %.2f s from the commit that made them due (%.2f s from first to last batch)%n",
            label, reminded, seconds, processing);
        System.out.printf("          %,.0f transitions/s from the commit (%,.0f/s from the first batch); reminder records %,d, reminder_due events %,d, history entries %,d%n",
            reminded / seconds, reminded / processing, reminders, events, history);
        double pgMicros = postgresCpu().minus(pgCpu0).toNanos() / 1e3 / reminded;
        Map<String, Long> threads = byRole(threads0, threadCpu());
        double jvmMicros = threads.values().stream().mapToLong(Long::longValue).sum() * 1e6 / TICKS / reminded;
        System.out.printf("          CPU per transition: PostgreSQL %.0f µs, Nudge JVM(s) %.0f µs (%s)%n", pgMicros, jvmMicros,
            join(threads, reminded * TICKS / 1e6, "%.0f µs", 1));
        System.out.println("          statements by PostgreSQL execution time (ms in total, µs per transition, calls, rows per call):");
        try (Statement st = c.createStatement();
            ResultSet top = st.executeQuery(
                "select regexp_replace(query, '\\s+', ' ', 'g'), calls, total_exec_time, rows"
                    + " from pg_stat_statements order by total_exec_time desc limit 8")) {
          while (top.next()) {
            String q = top.getString(1);
            long calls = top.getLong(2);
            System.out.printf("          %8.0f ms %6.0f µs %7d %7.0f  %s%n", top.getDouble(3),
                top.getDouble(3) * 1000 / reminded, calls, calls == 0 ? 0.0 : top.getLong(4) / (double) calls,
                q.length() > 90 ? q.substring(0, 90) + "…" : q);
          }
        }
        if (recording) {
          printJfr(recordings, reminded);
        }
        if (total != n || reminded != n || reminders != n || events != n || history != n) {
          throw new IllegalStateException("work missing or doubled");
        }
        // Compared with SQL that runs at once, so the wait for the next poll is left out.
        return reminded / processing;
      }
    }
  }

  static void jcmd(Process replica, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    command.add(Long.toString(replica.pid()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("jcmd " + String.join(" ", args) + ": " + out);
    }
  }

  /**
   * Where the replicas' JVM time went during the measured run: the CPU of each thread role, the
   * scheduler threads' execution samples by component (each sample to the innermost frame of a known
   * component, so the shares add up to 100 %), with a frame in each component (inclusive), and the
   * hottest methods by self time and, among Nudge's, by total time.
   */
  static void printJfr(List<Path> recordings, long transitions) throws Exception {
    Map<String, Integer> component = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> nudge = new HashMap<>();
    Map<String, double[]> threads = new HashMap<>();
    int samples = 0;
    int others = 0;
    long gcNanos = 0;
    int gcs = 0;
    long allocated = 0;
    for (Path file : recordings) {
      for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
        String type = e.getEventType().getName();
        if (type.equals("jdk.ThreadCPULoad") && e.getThread() != null) {
          double[] t = threads.computeIfAbsent(role(e.getThread().getJavaName()) + "#" + file + e.getThread().getJavaThreadId(), k -> new double[2]);
          t[0] += e.getFloat("user") + e.getFloat("system");
          t[1]++;
          continue;
        }
        if (type.equals("jdk.GarbageCollection")) {
          gcNanos += e.getDuration().toNanos();
          gcs++;
          continue;
        }
        if (type.equals("jdk.ObjectAllocationSample") && e.getThread() != null
            && e.getThread().getJavaName().startsWith("nudge-scheduler")) {
          allocated += e.getLong("weight");
          continue;
        }
        if (!type.equals("jdk.ExecutionSample")) {
          continue;
        }
        RecordedStackTrace st = e.getStackTrace();
        if (st == null || st.getFrames().isEmpty()) {
          continue;
        }
        if (!e.getThread("sampledThread").getJavaName().startsWith("nudge-scheduler")) {
          others++;
          continue;
        }
        samples++;
        List<RecordedFrame> frames = st.getFrames();
        self.merge(name(frames.get(0)), 1, Integer::sum);
        String owner = null;
        Set<String> seen = new HashSet<>();
        Set<String> seenMethods = new HashSet<>();
        for (RecordedFrame f : frames) {
          String c = component(f.getMethod().getType().getName());
          if (c != null && owner == null) {
            owner = c;
          }
          if (c != null && seen.add(c)) {
            inclusive.merge(c, 1, Integer::sum);
          }
          if (f.getMethod().getType().getName().startsWith("dev.nudge.") && !f.getMethod().getType().getName().startsWith("dev.nudge.schedule.TimerEngine")
              && !name(f).contains("$$Lambda") && !name(f).contains("lambda$") && !name(f).contains("_ClientProxy")
              && seenMethods.add(name(f))) {
            nudge.merge(name(f), 1, Integer::sum);
          }
        }
        component.merge(owner == null ? "other (JDK, runtime)" : owner, 1, Integer::sum);
      }
    }
    Map<String, Double> roles = new HashMap<>();
    for (Map.Entry<String, double[]> t : threads.entrySet()) {
      roles.merge(t.getKey().substring(0, t.getKey().indexOf('#')), t.getValue()[0] / t.getValue()[1], Double::sum);
    }
    System.out.printf("          JFR (%s): CPU by thread role, as a share of the machine: %s; %d collections, %.0f ms paused; scheduler threads allocated about %,.0f bytes per transition%n",
        recordings.stream().map(p -> p.getFileName().toString()).toList(), join(roles, 1, "%.0f %%", 100), gcs, gcNanos / 1e6, (double) allocated / transitions);
    int total = Math.max(1, samples);
    System.out.printf("          JFR scheduler-thread samples: %,d (other threads' samples: %,d)%n", samples, others);
    System.out.printf("          by component (innermost known frame): %s%n", join(component, total, "%.0f %%", 100));
    System.out.printf("          with a frame in (inclusive): %s%n", join(inclusive, total, "%.0f %%", 100));
    self.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(12)
        .forEach(x -> System.out.printf("          self  %4.1f %%  %s%n", 100.0 * x.getValue() / total, x.getKey()));
    nudge.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(16)
        .forEach(x -> System.out.printf("          total %4.1f %%  %s%n", 100.0 * x.getValue() / total, x.getKey()));
  }

  static String join(Map<String, ? extends Number> values, double total, String format, double scale) {
    StringBuilder out = new StringBuilder();
    values.entrySet().stream()
        .sorted((a, b) -> Double.compare(b.getValue().doubleValue(), a.getValue().doubleValue()))
        .forEach(x -> out.append(x.getKey()).append(' ')
            .append(String.format(format, scale * x.getValue().doubleValue() / total)).append(", "));
    return out.toString().replaceAll(", $", "");
  }

  static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  static String role(String thread) {
    if (thread.startsWith("nudge-scheduler")) {
      return "scheduler threads";
    }
    if (thread.contains("CompilerThread")) {
      return "JIT compilers";
    }
    if (thread.startsWith("JFR") || thread.startsWith("Attach Listener")) {
      return "JFR and jcmd";
    }
    return "other Java threads";
  }

  /** The parts of a firing, by package or class. */
  static String component(String type) {
    if (type.startsWith("com.fasterxml.jackson.")) {
      return "Jackson";
    }
    if (type.startsWith("io.quarkus.qute.")) {
      return "Qute";
    }
    if (type.startsWith("java.time.format.")) {
      return "date formatting";
    }
    if (type.startsWith("org.postgresql.")) {
      return "JDBC driver";
    }
    if (type.startsWith("io.agroal.") || type.startsWith("com.arjuna.") || type.startsWith("io.quarkus.narayana.")) {
      return "pool and transactions";
    }
    if (type.startsWith("dev.nudge.common.db.")) {
      return "row encoding (common.db)";
    }
    if (type.startsWith("dev.nudge.trade.reminder.") || type.startsWith("dev.nudge.party.")) {
      return "reminder pipeline";
    }
    if (type.startsWith("dev.nudge.trade.domain.") || type.startsWith("dev.nudge.common.statemachine.")) {
      return "trade domain";
    }
    if (type.startsWith("dev.nudge.")) {
      return "other Nudge code";
    }
    return null;
  }

  /** --quick: a shorter warm-up (at most 3 bursts of 1,000), for bench/run --quick. */
  static boolean quick;

  /**
   * Advances timers untimed until the JIT has compiled what firing them runs: bursts of a fortieth
   * of N (at least 2,000), at least ten, until the JIT compilers used under a tenth of the replicas'
   * CPU over a burst (at most 60 bursts). A Quarkus service compiles some ten thousand methods, and
   * the JIT kept both cores' worth of compiler threads busy through a fixed warm-up of 20,000
   * timers: a measurement then is one of start-up, not of a replica that runs for days.
   */
  static void warmUp(String url, int n) throws Exception {
    int burst = Math.max(quick ? 1000 : 2000, n / 40);
    int least = quick ? 2 : 10;
    int most = quick ? 3 : 60;
    double jit = 1;
    int bursts = 0;
    while (bursts < least || (jit > 0.1 && bursts < most)) {
      Map<String, Long> before = threadCpu();
      run(url, 18081, burst, null);
      Map<String, Long> after = byRole(before, threadCpu());
      long all = after.values().stream().mapToLong(Long::longValue).sum();
      // Ended threads are mostly JIT compilers the JVM stopped: counted as the JIT's.
      jit = all == 0 ? 1 : (after.getOrDefault("JIT", 0L) + after.getOrDefault("ended threads", 0L)) / (double) all;
      bursts++;
    }
    System.out.printf("warm-up   %d bursts of %,d timers; the JIT's share of the replicas' CPU in the last: %.0f %%%s%n",
        bursts, burst, 100 * jit, quick && jit > 0.1 ? " (--quick stops at " + most + " bursts: the JIT is still compiling)" : "");
  }

  /**
   * Removes what the warm-up wrote (its trades, their history, reminders and events), so the
   * measured run writes into tables of the size the same-work SQL wrote into: a warm-up of a
   * hundred thousand timers otherwise leaves the replicas' database several times larger than the
   * baselines', with bigger indexes and more for autovacuum and checkpoints to do during the run.
   * Tenants and parties stay; the replicas keep running.
   */
  static void clearWarmUp(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("truncate trade, trade_party, trade_history, reminder, event cascade");
      s.execute("checkpoint");
    }
  }

  /** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on Linux). */
  static final double TICKS = 100;

  /**
   * CPU time of this run's PostgreSQL so far: its postmaster (the process whose command line names
   * this run's data directory), the backends it has reaped (its children's times in /proc) and the
   * ones still running. Other PostgreSQL servers on the machine are not counted.
   */
  static Duration postgresCpu() {
    long ticks = 0;
    for (ProcessHandle p : ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(cl -> cl.contains(PG_DIR)).orElse(false)).toList()) {
      ticks += ticks(p.pid(), true);
      for (ProcessHandle child : p.descendants().toList()) {
        ticks += ticks(child.pid(), false);
      }
    }
    return Duration.ofNanos((long) (ticks * 1e9 / TICKS));
  }

  /** A process's user and system ticks, with those of its reaped children if {@code reaped}. */
  static long ticks(long pid, boolean reaped) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return reaped ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
    } catch (java.io.IOException | RuntimeException e) {
      return 0; // gone meanwhile
    }
  }

  /**
   * CPU ticks used so far by the running replicas: each thread's (keyed by role, process and
   * thread id, from /proc's per-thread counters, so nothing is sampled) and each process's whole
   * (key {@code process#pid}, which keeps the time of threads that have ended).
   */
  static Map<String, Long> threadCpu() throws Exception {
    Map<String, Long> out = new HashMap<>();
    for (Process p : REPLICAS) {
      if (!p.isAlive()) {
        continue;
      }
      out.put("process#" + p.pid(), ticks(p.pid(), false));
      try (var tasks = Files.list(Path.of("/proc", Long.toString(p.pid()), "task"))) {
        for (Path task : tasks.toList()) {
          try {
            String stat = Files.readString(task.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            String role = threadRole(Files.readString(task.resolve("comm")).trim());
            out.put(role + "#" + p.pid() + "/" + task.getFileName(), ticks);
          } catch (java.io.IOException e) {
            // the thread ended meanwhile
          }
        }
      }
    }
    return out;
  }

  /**
   * The replicas' CPU ticks between two {@link #threadCpu} readings, by thread role. Threads that
   * ended in between (the JVM starts and stops JIT compiler threads as the queue of methods to
   * compile grows and shrinks) are counted from their process's whole as "ended threads".
   */
  static Map<String, Long> byRole(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> out = new HashMap<>();
    long processes = 0;
    long threads = 0;
    for (Map.Entry<String, Long> e : after.entrySet()) {
      long delta = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      if (e.getKey().startsWith("process#")) {
        processes += delta;
      } else {
        out.merge(e.getKey().substring(0, e.getKey().indexOf('#')), delta, Long::sum);
        threads += delta;
      }
    }
    if (processes > threads) {
      out.put("ended threads", processes - threads);
    }
    return out;
  }

  static String threadRole(String comm) {
    if (comm.startsWith("nudge-scheduler")) {
      return "scheduler threads";
    }
    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
      return "JIT";
    }
    if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.equals("VM Thread")) {
      return "GC and VM";
    }
    return "other threads";
  }

  static long single(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static double baseline(String url, int n) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("create schema peer");
      s.execute("create table peer.trade(id bigint primary key, state text not null, version int not null,"
          + " reminders_sent int not null, due_at timestamptz)");
      s.execute("create index peer_trade_due on peer.trade(due_at) where due_at is not null");
      s.execute("create table peer.history(id bigserial primary key, trade_id bigint, from_state text, to_state text, at timestamptz)");
      s.execute("create table peer.outbox(id bigserial primary key, trade_id bigint, type text, payload jsonb, created_at timestamptz)");
      s.execute("insert into peer.trade select g, 'awaiting_reply', 1, 0, now() - interval '1 minute' from generate_series(1, " + n + ") g");
      s.execute("vacuum analyze peer.trade");
    }
    String claim = """
        with due as (
          select id from peer.trade where due_at <= now() and state = 'awaiting_reply'
          order by due_at limit 1000 for update skip locked),
        moved as (
          update peer.trade t set state='reminded', version=version+1, reminders_sent=reminders_sent+1, due_at=null
          from due where t.id = due.id returning t.id),
        h as (insert into peer.history(trade_id, from_state, to_state, at) select id, 'awaiting_reply', 'reminded', now() from moved)
        insert into peer.outbox(trade_id, type, payload, created_at)
          select id, 'trade.reminder_due', jsonb_build_object('tradeId', id, 'number', 1), now() from moved
        """;
    long t0 = System.nanoTime();
    Thread[] workers = new Thread[2];
    for (int w = 0; w < workers.length; w++) {
      workers[w] = new Thread(() -> {
        try (Connection c = DriverManager.getConnection(url); var st = c.prepareStatement(claim)) {
          while (st.executeUpdate() > 0) {}
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      workers[w].start();
    }
    for (Thread w : workers) {
      w.join();
    }
    double rate = n / ((System.nanoTime() - t0) / 1e9);
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("drop schema peer cascade");
    }
    return rate;
  }

  /**
   * Nudge's own firing work (trade update, history row, reminder record with a message of a rendered
   * reminder's size, both events with data of a real trade's size) as set-based SQL, 1,000 rows per
   * statement and two workers, on the schema of the migrations up to {@code upTo}, in a database of
   * its own: the database's share of the scheduler's cost, with no Java in the way.
   */
  static double sameWork(EmbeddedPostgres pg, String name, int n, int upTo) throws Exception {
    return sameWork(pg, name, n, upTo, null, null);
  }

  /**
   * The same-work SQL with {@code extraSql} run after the migrations and, unless null, {@code
   * dueData} as the data of {@code trade.reminder_due} instead of the trade and the reminder.
   */
  static double sameWork(EmbeddedPostgres pg, String name, int n, int upTo, String extraSql, String dueData)
      throws Exception {
    String db = "samework_" + name;
    try (Connection c = DriverManager.getConnection(pg.getJdbcUrl("postgres", "postgres"));
        Statement s = c.createStatement()) {
      s.execute("create database " + db);
    }
    String url = pg.getJdbcUrl("postgres", db);
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      for (Path migration : migrations(upTo)) {
        s.execute(Files.readString(migration));
      }
      if (extraSql != null) {
        s.execute(extraSql);
      }
      s.execute("insert into tenant (id, name, mode, created_at) values ('ten_bench', 'Bench', 'live', now())");
      s.execute("insert into party (id, tenant_id, handle, display_name, locale, time_zone, channels, created_at)"
          + " values ('pty_seller', 'ten_bench', '@seller', 'Seller', 'en', 'UTC', '[{\"type\":\"x_dm\",\"address\":\"@s\"}]', now()),"
          + " ('pty_buyer', 'ten_bench', '@buyer', 'Buyer', 'en', 'UTC', '[{\"type\":\"x_dm\",\"address\":\"@b\"}]', now())");
      s.execute("insert into trade (id, tenant_id, state, version, title, initiator_id, counterparty_id, items, policy,"
          + " awaiting_party_id, awaiting_kind, awaiting_requested_by, awaiting_since, awaiting_due_at,"
          + " reminders_sent, reminders_max, reminders_next_at, created_at, updated_at, event_seq, timer_at)"
          + " select 'trd_' || lpad(g::text, 26, '0'), 'ten_bench', 'awaiting_reply', 2, 'Photo card exchange', 'pty_seller', 'pty_buyer',"
          + " '[{\"from\": \"initiator\", \"description\": \"Card A\"}]', '" + POLICY + "',"
          + " 'pty_buyer', 'reply', 'pty_seller', now() - interval '3 days', now() - interval '1 minute',"
          + " 0, 2, now() - interval '1 minute', now() - interval '3 days', now() - interval '3 days', 2, now() - interval '1 minute'"
          + " from generate_series(1, " + n + ") g");
      s.execute("vacuum analyze");
    }
    String cast;
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select data_type from information_schema.columns where table_name = 'event' and column_name = 'data'")) {
      rs.next();
      cast = rs.getString(1);
    }
    String work = """
        with due as (
          select id from trade where timer_at <= now() and not test_clock
          order by timer_at limit 1000 for update skip locked),
        moved as (
          update trade t set state = 'reminded', version = t.version + 1, reminders_sent = 1,
            reminders_last_at = t.reminders_next_at, reminders_next_at = t.reminders_next_at + interval '2 days',
            silence_at = null, timer_at = t.reminders_next_at + interval '2 days', updated_at = now(),
            event_seq = t.event_seq + 2
          where t.id = any (array(select id from due))
          returning t.id, t.tenant_id, t.initiator_id, t.counterparty_id, t.awaiting_party_id, t.event_seq,
            t.reminders_last_at),
        h as (
          insert into trade_history (trade_id, at, actor, action, from_state, to_state, note)
          select id, reminders_last_at, 'system', 'reminder', 'awaiting_reply', 'reminded', 'Reminder 1' from moved),
        r as (
          insert into reminder (id, trade_id, tenant_id, to_party_id, number, tone, channel, locale, message,
            scheduled_for, sent_at, status)
          select 'rem_' || md5(id), id, tenant_id, awaiting_party_id, 1, 'gentle', 'x_dm', 'en', ?,
            reminders_last_at, reminders_last_at, 'sent' from moved)
        insert into event (id, tenant_id, type, subject_kind, subject_id, sequence, party_ids, created_at, data)
        select 'evt_' || md5(id || e.k), tenant_id, e.type, 'trade', id, event_seq - 2 + e.k,
          array[initiator_id, counterparty_id], reminders_last_at, replace(e.data, '$ID', id)::CAST
        from moved cross join (values (1, 'trade.state_changed', ?), (2, 'trade.reminder_due', ?)) as e(k, type, data)
        """.replace("CAST", cast);
    Duration pgCpu0 = postgresCpu();
    long t0 = System.nanoTime();
    Thread[] workers = new Thread[2];
    Exception[] failure = new Exception[1];
    for (int w = 0; w < workers.length; w++) {
      workers[w] = new Thread(() -> {
        try (Connection c = DriverManager.getConnection(url); var st = c.prepareStatement(work)) {
          // As a replica's connections do, so that the outbox's insert trigger does what it does
          // for the replicas (it notifies only for other writers).
          try (Statement s = c.createStatement()) {
            s.execute("set nudge.replica = on");
          }
          st.setString(1, MESSAGE);
          st.setString(2, TRADE_JSON);
          st.setString(3, dueData != null ? dueData : "{\"trade\":" + TRADE_JSON + ",\"reminder\":" + REMINDER_JSON + "}");
          while (st.executeUpdate() > 0) {}
        } catch (Exception e) {
          failure[0] = e;
        }
      });
      workers[w].start();
    }
    for (Thread w : workers) {
      w.join();
    }
    if (failure[0] != null) {
      throw failure[0];
    }
    double rate = n / ((System.nanoTime() - t0) / 1e9);
    Thread.sleep(200); // the workers' backends are reaped, their time counted
    System.out.printf("          (%s: PostgreSQL CPU per transition %.0f µs)%n", name,
        postgresCpu().minus(pgCpu0).toNanos() / 1e3 / n);
    try (Connection c = DriverManager.getConnection(url)) {
      long events = single(c, "select count(*) from event");
      long reminders = single(c, "select count(*) from reminder");
      long history = single(c, "select count(*) from trade_history");
      if (events != 2L * n || reminders != n || history != n) {
        throw new IllegalStateException("same-work SQL wrote " + events + " events, " + reminders
            + " reminders, " + history + " history rows for " + n + " trades");
      }
    }
    try (Connection c = DriverManager.getConnection(pg.getJdbcUrl("postgres", "postgres"));
        Statement s = c.createStatement()) {
      s.execute("drop database " + db);
    }
    return rate;
  }

  /**
   * What the database's own work would cost with less to do ({@code --variants}): the same-work SQL
   * on today's schema changed one way at a time, each beside today's figure of the same run. They
   * answer what the schema would need for a rate, not what the service may do (each keeps the
   * HTTP contract only with code to match).
   */
  static void variants(EmbeddedPostgres pg, int n, double today) throws Exception {
    String small = "{\"trade\":{\"id\":\"$ID\"},\"reminder\":" + REMINDER_JSON + "}";
    Object[][] variants = {
      {"reminder_due without its copy of the trade", null, small},
      {"without the trade_tenant_state index", "drop index trade_tenant_state", null},
      {"without the event_txid_position index", "drop index event_txid_position", null},
      {"without the event id's unique index", "alter table event drop constraint event_id_key", null},
      {"all four", "drop index trade_tenant_state; drop index event_txid_position;"
          + " alter table event drop constraint event_id_key", small},
    };
    int i = 0;
    for (Object[] v : variants) {
      double rate = sameWork(pg, "variant" + i++, n, Integer.MAX_VALUE, (String) v[1], (String) v[2]);
      System.out.printf("what-if   same-work SQL %s: %,.0f transitions/s (%.2f × today's schema)%n", v[0], rate, rate / today);
    }
  }

  /** The Flyway migrations up to version {@code upTo}, in version order. */
  static List<Path> migrations(int upTo) throws Exception {
    try (var files = Files.list(Path.of("src/main/resources/db/migration"))) {
      return files
          .filter(p -> p.getFileName().toString().matches("V\\d+__.*\\.sql"))
          .filter(p -> version(p) <= upTo)
          .sorted(java.util.Comparator.comparingInt(SchedulerBench::version))
          .toList();
    }
  }

  static int version(Path migration) {
    String name = migration.getFileName().toString();
    return Integer.parseInt(name.substring(1, name.indexOf("__")));
  }

  static final String POLICY = "{\"replyWindow\":\"P3D\",\"reminderInterval\":\"P2D\",\"maxReminders\":2,"
      + "\"minReminderSpacing\":\"PT12H\",\"finalGrace\":\"P1D\",\"onSilence\":{\"reply\":\"cancel\","
      + "\"completionConfirmation\":\"complete\",\"cancellationConsent\":\"cancel\"},"
      + "\"freeCancellationUntil\":\"payment\"}";

  /** A rendered English gentle reminder, as long as the shipped template makes it. */
  static final String MESSAGE = "Hello Buyer,\n\nThank you for trading with Seller. Regarding \"Photo card"
      + " exchange\", Seller is waiting for your reply.\nWhenever it is convenient for you, could you take a"
      + " moment to respond? It was requested by Thursday 27 November 2026, 10:05 (UTC).\n\nKind regards";

  /** A trade as events carry it (the README's example), with its id left to fill in. */
  static final String TRADE_JSON = "{\"id\":\"$ID\",\"state\":\"reminded\",\"version\":3,"
      + "\"title\":\"Photo card exchange\",\"initiatorId\":\"pty_seller\",\"counterpartyId\":\"pty_buyer\","
      + "\"items\":[{\"from\":\"initiator\",\"description\":\"Card A\"}],\"amount\":null,"
      + "\"source\":{\"url\":\"https://x.com/mina_trades/status/1861234567890\",\"note\":\"agreed in DM\"},"
      + "\"policy\":" + POLICY + ",\"awaiting\":{\"partyId\":\"pty_buyer\",\"kind\":\"reply\","
      + "\"requestedBy\":\"pty_seller\",\"since\":\"2026-11-22T10:05:00Z\",\"dueAt\":\"2026-11-25T10:05:00Z\"},"
      + "\"reminders\":{\"sent\":1,\"max\":2,\"lastAt\":\"2026-11-25T10:05:00Z\",\"nextAt\":\"2026-11-27T10:05:00Z\"},"
      + "\"milestones\":{\"paymentConfirmedAt\":null,\"shipmentConfirmedAt\":null,\"receiptConfirmedAt\":null},"
      + "\"completions\":{\"initiator\":null,\"counterparty\":null},\"cancellation\":null,"
      + "\"allowedActions\":{\"pty_seller\":[\"confirm_payment\",\"confirm_shipment\",\"confirm_receipt\","
      + "\"confirm_completion\",\"request_cancellation\",\"extend_deadline\"],\"pty_buyer\":[\"reply\","
      + "\"confirm_payment\",\"confirm_shipment\",\"confirm_receipt\",\"confirm_completion\","
      + "\"request_cancellation\"]},\"completedAt\":null,\"createdAt\":\"2026-11-22T10:00:00Z\","
      + "\"updatedAt\":\"2026-11-25T10:05:00Z\"}";

  static final String REMINDER_JSON = "{\"id\":\"rem_01m84mjp1857v65sg3ykf6fztb\",\"tradeId\":\"$ID\","
      + "\"toPartyId\":\"pty_buyer\",\"number\":1,\"tone\":\"gentle\",\"channel\":\"x_dm\",\"locale\":\"en\","
      + "\"message\":\"" + MESSAGE.replace("\n", "\\n").replace("\"", "\\\"") + "\","
      + "\"scheduledFor\":\"2026-11-25T10:05:00Z\",\"sentAt\":\"2026-11-25T10:05:00Z\",\"status\":\"sent\"}";

  static Process start(String jar, String url, int port, String name) throws Exception {
    List<String> command = new ArrayList<>(List.of("java"));
    String opts = System.getenv().getOrDefault("BENCH_JAVA_OPTS", "");
    if (!opts.isBlank()) {
      command.addAll(List.of(opts.replace("NAME", name).trim().split("\\s+")));
    }
    if (jfr) {
      // Starting JFR for the first time in a running JVM costs seconds of CPU (its classes, its
      // threads, instrumenting the JDK's event classes): a short recording at start-up pays that
      // there, so the one started for the measured run costs the run almost nothing.
      command.add("-XX:StartFlightRecording=name=startup,duration=1s,settings=default");
    }
    command.addAll(List.of("-jar", jar));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.put("QUARKUS_DATASOURCE_JDBC_URL", url.replaceAll("[?&]user=.*", ""));
    env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
    env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    env.put("NUDGE_ADMIN_KEY", ADMIN_KEY);
    File log = new File("target/bench-" + name + ".log");
    pb.redirectErrorStream(true).redirectOutput(log);
    return pb.start();
  }

  static void waitReady(int port) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = HTTP.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("replica on port " + port + " not ready; see target/bench-*.log");
  }

  static String tenant(int port) throws Exception {
    return send(port, ADMIN_KEY, "/v1/tenants", "{\"name\":\"Bench " + System.nanoTime() + "\",\"mode\":\"live\"}", "apiKey");
  }

  static String party(int port, String key) throws Exception {
    return post(port, key, "/v1/parties",
        "{\"handle\":\"@p" + System.nanoTime() + "\",\"displayName\":\"Party\",\"locale\":\"en\","
            + "\"timeZone\":\"UTC\",\"channels\":[{\"type\":\"x_dm\",\"address\":\"@someone\"}]}", "id");
  }

  static String post(int port, String key, String path, String body, String field) throws Exception {
    return send(port, key, path, body, field);
  }

  static String send(int port, String key, String path, String body, String field) throws Exception {
    HttpResponse<String> r = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
    }
    Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
    if (!m.find()) {
      throw new IllegalStateException(path + " answered without " + field + ": " + r.body());
    }
    return m.group(1);
  }

  static String version(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url)) {
      return c.getMetaData().getDatabaseProductVersion();
    }
  }
}
