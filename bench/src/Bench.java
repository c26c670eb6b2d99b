import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bench/run: every SPEC §8 figure, each beside a baseline measured in the same run, and met or
 * not met. See README "Benchmarks".
 */
public class Bench {

  /** JVM options Nudge is measured with; the README recommends them for production. */
  static final List<String> JVM = List.of(System.getProperty("bench.jvm", "").split(" ")).stream()
      .filter(s -> !s.isBlank()).toList();

  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    boolean only = List.of(args).contains("--nudge-only");
    Report report = new Report();
    Instant started = Instant.now();
    report.line("bench/run%s on %s: %d cores, %s, load average %s", quick ? " --quick" : "", machine(),
        Runtime.getRuntime().availableProcessors(), memory(), load());
    report.line("Nudge JVM options: %s", JVM.isEmpty() ? "(none)" : String.join(" ", JVM));
    Path dir = Files.createTempDirectory("nudge-bench-");
    try (Pg pg = Pg.start(dir)) {
      report.line("PostgreSQL %s (embedded, own data directory), %s, pg_stat_statements", pg.version(), pg.durability());
      if (!List.of(args).contains("--skip-api")) {
        apiAndFootprint(pg, quick, List.of(args).contains("--profile"), report);
      }
      growth(pg, quick, report);
    } finally {
      deleteTree(dir);
    }
    if (!only) {
      scheduler(quick, report);
      webhooks(quick, report);
    }
    summary(report);
    report.line("bench/run took %d s", Duration.between(started, Instant.now()).toSeconds());
  }

  static void apiAndFootprint(Pg pg, boolean quick, boolean profile, Report report) throws Exception {
    double warm = quick ? 5 : 20;
    double seconds = quick ? 5 : 20;
    try (Nudge nudge = Nudge.start(pg, "api", JVM, Map.of())) {
      report.line("%nNudge started in %.2f s on an empty database (migrations included)", nudge.ready.toNanos() / 1e9);
      Thread.sleep(2000);
      double idle = nudge.rssMb();
      report.line("footprint RSS idle (ready, 2 s after start, no request yet): %.0f MB", idle);
      report.target("RSS idle", String.format("%.0f MB", idle), "—", "—", "—", null);
      Thread sampler = new Thread(() -> {
        try {
          while (true) {
            Thread.sleep(500);
            report.rss(nudge.rssMb());
          }
        } catch (Exception e) {
          // stopped
        }
      }, "rss-sampler");
      sampler.setDaemon(true);
      sampler.start();
      report.line("%nAPI writes: %d connections, every request with an Idempotency-Key; closed loop for the peak"
          + " (%.0f s warm-up, %.0f s measured), then open loop at half the peak rate", ApiWrites.CONCURRENCY, warm, seconds);
      for (ApiWrites.Figures f : ApiWrites.run(pg, nudge, warm, seconds, profile, report)) {
        String name = f.name().equals("create") ? "create trade" : "trade action";
        Baseline.Script s = f.script();
        report.line("api %-12s peak: Nudge %,.0f requests/s, p50 %.1f ms, p99 %.1f ms | pgbench, the same %d statements"
            + " (%d commits)%s: %,.0f tps, p50 %.1f ms, p99 %.1f ms | ratio %.0f %% (target ≥ 60 %%) %s",
            name, f.peak().rate(), f.peak().p50(), f.peak().p99(), s.statements().size(), s.commits(),
            f.name().equals("create") ? "" : " per action", f.pgbench().tps(), f.pgbench().p50(), f.pgbench().p99(),
            100 * f.ratio(), Report.met(f.ratio() >= 0.6));
        report.line("api %-12s half load (%,.0f requests/s, open loop): p50 %.1f ms, p99 %.1f ms (target p99 ≤ 50 ms) %s",
            name, f.half().rate(), f.half().p50(), f.half().p99(), Report.met(f.half().p99() <= 50));
        report.line("api %-12s CPU per request at peak: Nudge JVM %.0f µs, PostgreSQL %.0f µs", name, f.jvmMicros(),
            f.pgMicros());
        report.target("API " + name + ": requests/s at peak", String.format("%,.0f/s", f.peak().rate()),
            String.format("pgbench %,.0f tps", f.pgbench().tps()), String.format("%.0f %%", 100 * f.ratio()), "≥ 60 %",
            f.ratio() >= 0.6);
        report.target("API " + name + ": p99 at half load", String.format("%.1f ms", f.half().p99()),
            String.format("pgbench p99 %.1f ms at peak", f.pgbench().p99()), "—", "≤ 50 ms", f.half().p99() <= 50);
      }
      sampler.interrupt();
      report.line("footprint RSS under the API load: max %.0f MB sampled every 0.5 s (target ≤ 300 MB) %s",
          report.maxRss(), Report.met(report.maxRss() <= 300));
      report.target("RSS under the API load", String.format("%.0f MB", report.maxRss()), "—", "—", "≤ 300 MB",
          report.maxRss() <= 300);
    }
    List<Double> starts = new ArrayList<>();
    for (int i = 0; i < (quick ? 1 : 3); i++) {
      try (Nudge nudge = Nudge.start(pg, "restart", JVM, Map.of())) {
        starts.add(nudge.ready.toNanos() / 1e9);
      }
    }
    double ready = starts.stream().sorted().toList().get(starts.size() / 2);
    report.line("footprint time to ready against a running PostgreSQL (migrated schema): %.2f s (median of %s)"
        + " (target ≤ 3 s) %s", ready, starts.stream().map(d -> String.format("%.2f", d)).toList(), Report.met(ready <= 3));
    report.target("Time to ready (JVM mode)", String.format("%.2f s", ready), "—", "—", "≤ 3 s", ready <= 3);
  }

  static void growth(Pg pg, boolean quick, Report report) throws Exception {
    long small = quick ? 2_000 : 10_000;
    long large = quick ? 20_000 : 1_000_000;
    int requests = quick ? 150 : 500;
    Map<String, String> env = Map.of("NUDGE_EVENTS_RETENTION_INTERVAL", "2s");
    try (Nudge nudge = Nudge.start(pg, "growth", JVM, env)) {
      Api api = Api.tenant(nudge.port, "Bench growth");
      Growth growth = new Growth(pg, nudge, api);
      report.line("%nGrowth: %d requests per read on one connection, retention running every 2 s%s", requests,
          quick ? String.format(" (--quick: %,d vs %,d trades, not SPEC's 10,000 vs 1,000,000)", small, large) : "");
      List<Growth.Step> steps = new ArrayList<>();
      for (long n : List.of(small, large)) {
        long t0 = System.nanoTime();
        growth.seed(n);
        report.line("growth seeded %,d trades (with %,d events, %,d history entries, %,d reminders) in %.0f s", n,
            pg.single("select count(*) from event"), pg.single("select count(*) from trade_history"),
            pg.single("select count(*) from reminder"), (System.nanoTime() - t0) / 1e9);
        // The first size also warms the service's code up for both (three rounds, not one).
        Growth.Step step = growth.measure(requests, steps.isEmpty() ? 3 : 1);
        steps.add(step);
        for (Growth.Read r : step.reads()) {
          report.line("growth %,9d trades  %-28s p50 %6.2f ms  p99 %6.2f ms  plan: %s%s", n, r.name(), r.result().p50(),
              r.result().p99(), r.plan(), r.indexed() ? "" : "  SEQUENTIAL SCAN");
        }
        report.line("growth %,9d trades  retention: %,d of the %,d seeded events were older than 30 days when seeded;"
            + " %,d older than 30 days are left after the reads", n, step.seededExpired(), 3 * n, step.expiredLeft());
      }
      for (int i = 0; i < steps.get(0).reads().size(); i++) {
        Growth.Read a = steps.get(0).reads().get(i);
        Growth.Read b = steps.get(1).reads().get(i);
        double p50 = b.result().p50() / a.result().p50();
        double p99 = b.result().p99() / a.result().p99();
        // At the small size a sequential scan of a tiny table can be the planner's best choice.
        boolean met = p50 <= 1.5 && p99 <= 1.5 && b.indexed();
        report.line("growth %-28s at %,d vs %,d trades: p50 %.2fx, p99 %.2fx (target ≤ 1.5x, index use) %s", a.name(),
            large, small, p50, p99, Report.met(met));
        report.target("Growth: " + a.name(), String.format("p50 %.2f / p99 %.2f ms", b.result().p50(), b.result().p99()),
            String.format("%.2f / %.2f ms at %,d", a.result().p50(), a.result().p99(), small),
            String.format("%.2fx / %.2fx", p50, p99), "≤ 1.5x", met);
      }
    }
  }

  /** Runs one of the other benchmarks, printing its lines as they come, and returns them. */
  static List<String> carry(String prefix, List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Process p = pb.start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        // The other benchmarks' JVMs say once that they log nowhere.
        if (line.startsWith("SLF4J") || line.startsWith("org.slf4j.") || line.isBlank()) {
          continue;
        }
        lines.add(line);
        System.out.println(prefix + line);
        System.out.flush();
      }
    }
    int code = p.waitFor();
    if (code != 0) {
      lines.add("exit " + code);
      System.out.println(prefix + "exited with " + code);
    }
    return lines;
  }

  static void scheduler(boolean quick, Report report) throws Exception {
    System.out.println();
    List<String> lines = carry("scheduler | ", List.of("bench/scheduler/run", quick ? "5000" : "100000"));
    Matcher baseline = find(lines, "baseline .*?: ([\\d,]+) transitions/s");
    Matcher result = find(lines, "one replica ([\\d,]+)/s .*two replicas ([\\d,]+)/s");
    if (result == null) {
      report.target("Scheduler: transitions/s", "no result (see its lines)", "—", "—", "≥ 15,000/s", false);
      return;
    }
    double one = number(result.group(1));
    double two = number(result.group(2));
    String base = baseline == null ? "—" : "set-based SQL " + baseline.group(1) + "/s";
    String ratio = baseline == null ? "—" : String.format("%.0f %%", 100 * one / number(baseline.group(1)));
    report.target("Scheduler: one replica", String.format("%,.0f/s", one), base, ratio, "≥ 15,000/s", one >= 15_000);
    report.target("Scheduler: two replicas", String.format("%,.0f/s", two), base,
        String.format("%.2f × one", two / one), "≥ 15,000/s, not slower", two >= 15_000 && two >= one);
  }

  static void webhooks(boolean quick, Report report) throws Exception {
    System.out.println();
    if (!Files.isExecutable(Path.of("bench/webhooks/run"))) {
      report.line("webhooks  | bench/webhooks/run is not in this checkout yet: no webhook figure");
      report.target("Webhooks: signed deliveries/s", "not measured (bench/webhooks/run missing)", "—", "—",
          "≥ 3,000/s", null);
      return;
    }
    List<String> command = new ArrayList<>(List.of("bench/webhooks/run"));
    if (quick) {
      command.add("--quick");
    }
    List<String> lines = carry("webhooks  | ", command);
    Matcher ratio = find(lines, "ratio deliveries/bare client: ([\\d.]+) %");
    Matcher one = find(lines, "one endpoint ([\\d,]+) deliveries/s \\(bare client ([\\d,]+)/s");
    Matcher ten = find(lines, "ten endpoints ([\\d,]+) deliveries/s \\(bare client ([\\d,]+)/s");
    if (ten == null) {
      report.target("Webhooks: signed deliveries/s", "no result (see its lines)", "bare client",
          ratio == null ? "—" : ratio.group(1) + " %", "≥ 3,000/s", false);
      return;
    }
    if (one != null) {
      report.target("Webhooks: one endpoint", one.group(1) + "/s", "bare client " + one.group(2) + "/s",
          String.format("%.0f %%", 100 * number(one.group(1)) / number(one.group(2))), "—", null);
    }
    report.target("Webhooks: ten endpoints", ten.group(1) + "/s", "bare client " + ten.group(2) + "/s",
        ratio == null ? "—" : ratio.group(1) + " % (lower of both)", "≥ 3,000/s", number(ten.group(1)) >= 3000);
  }

  static Matcher find(List<String> lines, String regex) {
    Pattern p = Pattern.compile(regex);
    Matcher last = null;
    for (String line : lines) {
      Matcher m = p.matcher(line);
      if (m.find()) {
        last = m;
      }
    }
    return last;
  }

  static double number(String s) {
    return Double.parseDouble(s.replace(",", ""));
  }

  static void summary(Report report) {
    report.line("%nSummary (SPEC §8)");
    report.line("%-42s | %-26s | %-30s | %-16s | %-22s | %s", "figure", "Nudge", "baseline (same run)", "ratio", "target", "");
    for (Report.Target t : report.targets) {
      report.line("%-42s | %-26s | %-30s | %-16s | %-22s | %s", t.figure(), t.value(), t.baseline(), t.ratio(),
          t.target(), Report.met(t.met()));
    }
  }

  static String machine() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }

  static String memory() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal")) {
          return Math.round(Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0) + " GiB";
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return "?";
  }

  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "?";
    }
  }

  static void deleteTree(Path dir) throws Exception {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
