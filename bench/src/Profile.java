import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * bench/run --profile: where a write request's time goes, over exactly the measured window of the
 * peak. The database side from pg_stat_statements (reset when the window opens), the JVM side from
 * a JFR recording of the service started and dumped with jcmd at the window's edges.
 */
final class Profile {

  private final Pg pg;
  private final Nudge nudge;
  private final Path jfr;

  Profile(Pg pg, Nudge nudge, String name) {
    this.pg = pg;
    this.nudge = nudge;
    this.jfr = Path.of("target", "bench", "api-" + name + ".jfr").toAbsolutePath();
  }

  /**
   * Starts and stops a recording before the warm-up, so that JFR's own start-up (seconds on a busy
   * machine) is not inside the measured window.
   */
  void prime() throws Exception {
    jcmd("JFR.start", "name=prime", "settings=profile");
    jcmd("JFR.stop", "name=prime");
  }

  void opened() throws Exception {
    jcmd("JFR.start", "name=bench", "settings=profile");
  }

  void closed() throws Exception {
    jcmd("JFR.dump", "name=bench", "filename=" + jfr);
    jcmd("JFR.stop", "name=bench");
  }

  private void jcmd(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    command.add(Long.toString(nudge.process.pid()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("jcmd " + String.join(" ", args) + ": " + out);
    }
  }

  /** The statements of the window by total execution time, per request. */
  void printStatements(Report report, String name, long requests) throws Exception {
    report.line("profile %s: pg_stat_statements over the peak window (%,d requests), by execution time", name, requests);
    try (Connection c = pg.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select calls, total_exec_time, wal_bytes, left(regexp_replace(query, '\\s+', ' ', 'g'), 110),"
            + " mean_exec_time, max_exec_time"
            + " from pg_stat_statements where query not like '%pg_stat_statements%' order by total_exec_time desc limit 12")) {
      while (rs.next()) {
        report.line("profile %s:   %5.2f calls/request  %6.0f µs/request (mean %5.0f, max %6.0f µs a call)  %6.0f WAL bytes/request  %s",
            name, rs.getLong(1) / (double) requests, rs.getDouble(2) * 1000 / requests, rs.getDouble(5) * 1000,
            rs.getDouble(6) * 1000, rs.getDouble(3) / requests, rs.getString(4));
      }
    }
  }

  /**
   * The JFR execution samples of the window: the share of samples whose stack contains a frame of
   * each layer (inclusive), and the hottest methods by self time.
   */
  void printJvm(Report report, String name) throws Exception {
    Map<String, Integer> layers = new HashMap<>();
    Map<String, Integer> self = new HashMap<>();
    // Per thread: the sum and count of its CPU load readings (a share of the whole machine).
    Map<String, double[]> threads = new HashMap<>();
    double machine = 0;
    int machineReadings = 0;
    long gcNanos = 0;
    int gcs = 0;
    int samples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      String type = e.getEventType().getName();
      if (type.equals("jdk.ThreadCPULoad") && e.getThread() != null) {
        double[] t = threads.computeIfAbsent(e.getThread().getJavaName() + "#" + e.getThread().getJavaThreadId(),
            k -> new double[2]);
        t[0] += e.getFloat("user") + e.getFloat("system");
        t[1]++;
        continue;
      }
      if (type.equals("jdk.CPULoad")) {
        machine += e.getFloat("jvmUser") + e.getFloat("jvmSystem");
        machineReadings++;
        continue;
      }
      if (type.equals("jdk.GarbageCollection")) {
        gcNanos += e.getDuration().toNanos();
        gcs++;
        continue;
      }
      if (!type.equals("jdk.ExecutionSample")) {
        continue;
      }
      RecordedStackTrace st = e.getStackTrace();
      if (st == null || st.getFrames().isEmpty()) {
        continue;
      }
      samples++;
      List<RecordedFrame> frames = st.getFrames();
      RecordedFrame top = frames.get(0);
      self.merge(top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1, Integer::sum);
      Set<String> seen = new HashSet<>();
      for (RecordedFrame f : frames) {
        String layer = layer(f.getMethod().getType().getName());
        if (layer != null && seen.add(layer)) {
          layers.merge(layer, 1, Integer::sum);
        }
      }
    }
    Map<String, Double> groups = new HashMap<>();
    for (Map.Entry<String, double[]> t : threads.entrySet()) {
      groups.merge(threadGroup(t.getKey()), t.getValue()[0] / t.getValue()[1], Double::sum);
    }
    StringBuilder cpu = new StringBuilder();
    groups.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(x -> cpu.append(String.format("%s %.0f %%, ", x.getKey(), 100 * x.getValue())));
    report.line("profile %s: the JVM used %.0f %% of the machine's CPU (JFR CPULoad); by thread: %s (GC threads"
        + " are not Java threads: %d collections, %.0f ms paused)", name, 100 * machine / Math.max(1, machineReadings),
        cpu.toString().replaceAll(", $", ""), gcs, gcNanos / 1e6);
    int total = Math.max(1, samples);
    report.line("profile %s: JFR execution samples over the peak window: %,d (%s)", name, samples, jfr);
    StringBuilder line = new StringBuilder();
    layers.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(x -> line.append(String.format("%s %.0f %%, ", x.getKey(), 100.0 * x.getValue() / total)));
    report.line("profile %s:   samples with a frame in (inclusive): %s", name, line.toString().replaceAll(", $", ""));
    self.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(10)
        .forEach(x -> report.line("profile %s:   self %4.1f %%  %s", name, 100.0 * x.getValue() / total, x.getKey()));
    Files.deleteIfExists(jfr.resolveSibling(jfr.getFileName() + ".tmp"));
  }

  /** Threads by role: the ones that serve requests, the JIT compilers, the rest. */
  static String threadGroup(String thread) {
    if (thread.startsWith("executor-thread")) {
      return "worker threads";
    }
    if (thread.startsWith("vert.x-eventloop")) {
      return "event loops";
    }
    if (thread.contains("CompilerThread")) {
      return "JIT compilers";
    }
    if (thread.startsWith("JFR") || thread.startsWith("Attach Listener")) {
      return "JFR and jcmd";
    }
    return "other";
  }

  /** Coarse layers a request passes through, by package. */
  static String layer(String type) {
    if (type.startsWith("dev.nudge.")) {
      return "Nudge code";
    }
    if (type.startsWith("org.postgresql.")) {
      return "JDBC driver";
    }
    if (type.startsWith("io.agroal.")) {
      return "connection pool";
    }
    if (type.startsWith("com.fasterxml.jackson.")) {
      return "Jackson";
    }
    if (type.startsWith("io.netty.") || type.startsWith("io.vertx.")) {
      return "Vert.x/Netty";
    }
    if (type.startsWith("org.jboss.resteasy.reactive.") || type.startsWith("io.quarkus.resteasy.reactive.")) {
      return "Quarkus REST";
    }
    if (type.startsWith("org.hibernate.validator.")) {
      return "Bean Validation";
    }
    if (type.startsWith("java.security.") || type.startsWith("sun.security.")) {
      return "hashing (auth)";
    }
    return null;
  }
}
