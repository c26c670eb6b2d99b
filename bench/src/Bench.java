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

  /** The parts of bench/run, in the order they run; {@code --only <part>[,<part>]} picks some. */
  static final List<String> PARTS = List.of("api", "growth", "scheduler", "webhooks");

  public static void main(String[] args) throws Exception {
    List<String> argv = List.of(args);
    boolean quick = argv.contains("--quick");
    List<String> parts = parts(argv);
    Report report = new Report();
    Instant started = Instant.now();
    report.line("bench/run%s on %s: %d cores, %s, load average %s", String.join("", argv.stream().map(a -> " " + a).toList()),
        machine(), Runtime.getRuntime().availableProcessors(), memory(), load());
    report.line("Nudge JVM: Java %s (%s), options: %s", System.getProperty("java.version"), System.getProperty("java.home"),
        JVM.isEmpty() ? "(none)" : String.join(" ", JVM));
    if (parts.contains("api") || parts.contains("growth")) {
      Path dir = Files.createTempDirectory("nudge-bench-");
      try (Pg pg = Pg.start(dir)) {
        report.line("PostgreSQL %s (embedded, own data directory), %s, pg_stat_statements", pg.version(), pg.durability());
        // Growth runs on the footprint's last timed start when both parts run (one start fewer);
        // growth stops it.
        Nudge kept = parts.contains("api")
            ? apiAndFootprint(pg, quick, argv.contains("--profile"), parts.contains("growth"), report)
            : null;
        if (parts.contains("growth")) {
          growth(pg, kept, quick, report);
        }
      } finally {
        deleteTree(dir);
      }
    }
    if (parts.contains("scheduler")) {
      scheduler(quick, report);
    }
    if (parts.contains("webhooks")) {
      webhooks(quick, report);
    }
    summary(report);
    report.line("bench/run took %d s", Duration.between(started, Instant.now()).toSeconds());
  }

  /**
   * The parts to run: every part, or those {@code --only} names (comma-separated or repeated);
   * {@code --skip-api} and {@code --nudge-only} (api and growth only) are the older spellings.
   */
  static List<String> parts(List<String> argv) {
    List<String> only = new ArrayList<>();
    for (int i = 0; i < argv.size(); i++) {
      String a = argv.get(i);
      String value = a.startsWith("--only=") ? a.substring(7) : a.equals("--only") && i + 1 < argv.size() ? argv.get(++i) : null;
      if (a.equals("--only") && value == null) {
        throw new IllegalArgumentException("--only needs a part: " + String.join(", ", PARTS));
      }
      if (value != null) {
        for (String part : value.split(",")) {
          if (!PARTS.contains(part)) {
            throw new IllegalArgumentException("--only " + part + ": no such part (" + String.join(", ", PARTS) + ")");
          }
          only.add(part);
        }
      }
    }
    List<String> parts = new ArrayList<>(only.isEmpty() ? PARTS : PARTS.stream().filter(only::contains).toList());
    if (argv.contains("--skip-api")) {
      parts.remove("api");
    }
    if (argv.contains("--nudge-only")) {
      parts.removeAll(List.of("scheduler", "webhooks"));
    }
    return parts;
  }

  static double median(List<Double> values) {
    return values.stream().sorted().toList().get(values.size() / 2);
  }

  static List<String> seconds(List<Double> values) {
    return values.stream().map(d -> String.format("%.2f", d)).toList();
  }

  /**
   * API writes, then the footprint. With {@code keepLast}, the last timed start is started as
   * {@link #growth} needs it and returned running.
   */
  static Nudge apiAndFootprint(Pg pg, boolean quick, boolean profile, boolean keepLast, Report report)
      throws Exception {
    double warm = quick ? 4 : 20;
    double maxWarm = quick ? 6 : 60;
    double seconds = quick ? 4 : 20;
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
          + " (a warm-up of at least %.0f s, until the JIT is done, then %.0f s measured), then open loop at half the peak rate",
          ApiWrites.CONCURRENCY, warm, seconds);
      for (ApiWrites.Figures f : ApiWrites.run(pg, nudge, warm, maxWarm, seconds, profile, report)) {
        String name = f.name().equals("create") ? "create trade" : "trade action";
        Baseline.Script s = f.script();
        report.line("api %-12s peak: Nudge %,.0f requests/s, p50 %.1f ms, p99 %.1f ms | pgbench, the same %d statements"
            + " (%d commits)%s: %,.0f tps, p50 %.1f ms, p99 %.1f ms | ratio %.0f %% (target ≥ 60 %%) %s",
            name, f.peak().rate(), f.peak().p50(), f.peak().p99(), s.statements().size(), s.commits(),
            f.name().equals("create") ? "" : " per action", f.pgbench().tps(), f.pgbench().p50(), f.pgbench().p99(),
            100 * f.ratio(), Report.met(f.ratio() >= 0.6));
        report.line("api %-12s half load (%,.0f requests/s, open loop): p50 %.1f ms, p99 %.1f ms (target p99 ≤ 50 ms) %s",
            name, f.half().rate(), f.half().p50(), f.half().p99(), Report.met(f.half().p99() <= 50));
        report.line("api %-12s half load, the slowest 1 %%: %s", name, f.half().slowest());
        report.line("api %-12s CPU per request at peak: Nudge JVM %.0f µs (request threads %.0f µs), PostgreSQL"
            + " %.0f µs, load generator %.0f µs; the whole machine %.0f µs (others %.0f µs), %.0f %% of its 2 cores busy",
            name, f.jvmMicros(), f.requestThreadMicros(), f.pgMicros(), f.loadMicros(), f.machineMicros(),
            f.machineMicros() - f.jvmMicros() - f.pgMicros() - f.loadMicros(),
            f.machineMicros() * f.peak().rate() / 1e6 / Runtime.getRuntime().availableProcessors() * 100);
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
    // The run command's archive (README, "The two commands": the AOT cache on a JDK 25 or newer,
    // the class-data archive before) against the same jar started without it, taking turns, so
    // both medians come from the same minutes of a shared machine.
    List<String> plain = JVM.stream().filter(o -> !o.startsWith("-XX:SharedArchiveFile=") && !o.startsWith("-Xshare:")
        && !o.startsWith("-XX:AOTCache=") && !o.startsWith("-XX:AOTMode=")).toList();
    String archiveName = JVM.stream().anyMatch(o -> o.startsWith("-XX:AOTCache=")) ? "AOT cache" : "class-data archive";
    boolean archive = !plain.equals(JVM);
    List<Double> starts = new ArrayList<>();
    List<Double> plainStarts = new ArrayList<>();
    Nudge kept = null;
    int rounds = quick ? 1 : 5;
    for (int i = 0; i < rounds; i++) {
      if (archive) {
        try (Nudge nudge = Nudge.start(pg, "restart-plain", plain, Map.of())) {
          plainStarts.add(nudge.ready.toNanos() / 1e9);
        }
      }
      if (keepLast && i == rounds - 1) {
        kept = Nudge.start(pg, "growth", JVM, GROWTH_ENV);
        starts.add(kept.ready.toNanos() / 1e9);
      } else {
        try (Nudge nudge = Nudge.start(pg, "restart", JVM, Map.of())) {
          starts.add(nudge.ready.toNanos() / 1e9);
        }
      }
    }
    double ready = median(starts);
    report.line("footprint time to ready against a running PostgreSQL (migrated schema)%s: %.2f s (median of %s)"
        + " (target ≤ 3 s) %s", archive ? ", with the " + archiveName : "", ready, seconds(starts), Report.met(ready <= 3));
    if (archive) {
      double plainReady = median(plainStarts);
      report.line("footprint time to ready of the same jar without the %s, taking turns: %.2f s"
          + " (median of %s) | ratio %.0f %%", archiveName, plainReady, seconds(plainStarts), 100 * ready / plainReady);
      report.target("Time to ready (JVM mode)", String.format("%.2f s", ready),
          String.format("same jar without the %s %.2f s", archiveName, plainReady), String.format("%.0f %%", 100 * ready / plainReady),
          "≤ 3 s", ready <= 3);
    } else {
      report.target("Time to ready (JVM mode)", String.format("%.2f s", ready), "—", "—", "≤ 3 s", ready <= 3);
    }
    return kept;
  }

  /** Growth's service runs retention every 2 s, so that it keeps up with the seeds. */
  static final Map<String, String> GROWTH_ENV = Map.of("NUDGE_EVENTS_RETENTION_INTERVAL", "2s");

  /**
   * Growth (SPEC §8): the same reads at a small and a large size, each timed in the same state
   * (Growth.settle: retention caught up, vacuumed, analysed, checkpointed; retention running), with
   * the same warm-up and the same number of samples.
   */
  static void growth(Pg pg, Nudge started, boolean quick, Report report) throws Exception {
    // The claim times 500 due timers: the seed gives one to every third trade, so at least 1,500.
    long small = quick ? 2_000 : 10_000;
    long large = quick ? 20_000 : 1_000_000;
    int samples = quick ? 200 : 2_000;
    int warm = quick ? 50 : 1_000;
    double jit = quick ? 6 : 60;
    try (Nudge nudge = started != null ? started : Nudge.start(pg, "growth", JVM, GROWTH_ENV)) {
      Api api = Api.tenant(nudge.port, "Bench growth");
      Growth growth = new Growth(pg, nudge, api);
      report.line("%nGrowth%s: at each size, after the seed, retention (running every 2 s throughout) removes what the"
          + " seed dated past the 30 days; then VACUUM (ANALYZE) and CHECKPOINT; then %,d untimed and %,d timed rounds,"
          + " each round every read and one timer claim once, in a shuffled order, keys at random over all the seeded"
          + " trades and tenants, one HTTP connection, retention still running. Before the first size, %.0f s of"
          + " the reads on the bench's own tenant compile the service's code.",
          quick ? String.format(" (--quick: %,d vs %,d trades, not SPEC's 10,000 vs 1,000,000)", small, large) : "",
          warm, samples, jit);
      report.line("growth code warm-up: %,d rounds in %.0f s", growth.warmCode(jit), jit);
      List<Growth.Step> steps = new ArrayList<>();
      for (long n : List.of(small, large)) {
        long t0 = System.nanoTime();
        growth.seed(n);
        report.line("growth seeded %,d trades (with %,d events, %,d history entries, %,d reminders) in %.0f s", n,
            pg.single("select count(*) from event"), pg.single("select count(*) from trade_history"),
            pg.single("select count(*) from reminder"), (System.nanoTime() - t0) / 1e9);
        Growth.Settled settled = growth.settle(Duration.ofMinutes(30));
        report.line("growth %,9d trades  settled: retention removed %,d of the %,d seeded events (%,d were past the"
            + " 30 days when seeded) %.0f s after the seed; VACUUM (ANALYZE) %.0f s, CHECKPOINT %.0f s", n,
            settled.removed(), 3 * n, settled.seededExpired(), settled.retentionSeconds(), settled.vacuumSeconds(),
            settled.checkpointSeconds());
        Growth.Step step = growth.measure(samples, warm);
        steps.add(step);
        report.line("growth %,9d trades  timed: %s", n, step.conditions().get(0));
        for (Growth.Read r : step.reads()) {
          report.line("growth %,9d trades  %-28s n=%,d  p50 %6.2f ms  p99 %6.2f ms (halves %.2f / %.2f)  plan: %s%s", n,
              r.name(), r.result().requests(), r.result().p50(), r.result().p99(), r.firstHalfP99(), r.secondHalfP99(),
              r.plan(), r.indexed() ? "" : "  SEQUENTIAL SCAN");
        }
        report.line("growth %,9d trades  statements of the timed rounds (pg_stat_statements, costliest first):", n);
        step.conditions().subList(1, step.conditions().size()).forEach(l -> report.line("growth %s", l));
      }
      Path plans = Path.of("target", "bench", "growth-plans.txt");
      Files.writeString(plans, growth.plans);
      report.line("growth full plans (EXPLAIN (ANALYZE, BUFFERS)) in %s", plans);
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
    List<String> lines = carry("scheduler | ", quick ? List.of("bench/scheduler/run", "3000", "--quick") : List.of("bench/scheduler/run", "100000"));
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
