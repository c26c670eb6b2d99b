import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged jar as a separate process, against the benchmark's PostgreSQL. */
final class Nudge implements AutoCloseable {

  static final String JAR = System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar");
  static final String ADMIN_KEY = "nk_admin_bench_only_key_0123456789";

  final Process process;
  final int port;
  final Path log;
  /** From the process start to the first 200 of /q/health/ready. */
  final Duration ready;

  private Nudge(Process process, int port, Path log, Duration ready) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.ready = ready;
  }

  static Nudge start(Pg pg, String name, List<String> jvmOptions, Map<String, String> extraEnv)
      throws Exception {
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(JAR);
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.put("QUARKUS_DATASOURCE_JDBC_URL", pg.url());
    env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
    env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    env.put("NUDGE_ADMIN_KEY", ADMIN_KEY);
    env.put("NUDGE_DATA_DIR", pg.dir.resolve("nudge-" + name).toString());
    env.putAll(extraEnv);
    Path log = Path.of("target", "bench", "nudge-" + name + ".log");
    Files.createDirectories(log.getParent());
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    long t0 = System.nanoTime();
    Process p = pb.start();
    // However the benchmark ends (^C included), the service it started ends with it.
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
    waitReady(p, port, log);
    return new Nudge(p, port, log, Duration.ofNanos(System.nanoTime() - t0));
  }

  private static void waitReady(Process p, int port, Path log) throws Exception {
    long t0 = System.nanoTime();
    long deadline = t0 + Duration.ofSeconds(300).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("Nudge exited with " + p.exitValue() + "; see " + log);
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/q/health/ready")
            .toURL().openConnection();
        c.setConnectTimeout(200);
        c.setReadTimeout(2000);
        if (c.getResponseCode() == 200) {
          c.getInputStream().readAllBytes();
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("Nudge not ready after 300 s; see " + log);
  }

  static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Resident set size of the process now, from /proc (kB → MB). */
  double rssMb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
      }
    }
    throw new IllegalStateException("no VmRSS");
  }

  /** Highest resident set size the process has had, from /proc (kB → MB). */
  double peakRssMb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
      }
    }
    throw new IllegalStateException("no VmHWM");
  }

  Duration cpu() {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /**
   * CPU time of the threads that serve requests (Vert.x event loops and the worker pool), without
   * the JIT compiler and GC threads: the steady-state cost of a request, even while a starved JIT
   * is still compiling.
   */
  Duration requestThreadsCpu() throws IOException {
    return threadsCpu("executor-thread", "vert.x-eventloo");
  }

  /**
   * CPU time of the live JIT compiler threads. Threads that ended are left out: their time is only
   * known as the process's total less the live threads', and each thread's counter is rounded down
   * to a tick, which over forty threads is more than a compiler uses in a second.
   */
  Duration jitCpu() throws IOException {
    return threadsCpu("C1 CompilerThre", "C2 CompilerThre");
  }

  /** CPU time of the live threads whose name starts with one of {@code prefixes}. */
  private Duration threadsCpu(String... prefixes) throws IOException {
    long ticks = 0;
    Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
    try (var dirs = Files.list(tasks)) {
      for (Path t : dirs.toList()) {
        try {
          String comm = Files.readString(t.resolve("comm")).trim();
          if (java.util.Arrays.stream(prefixes).anyMatch(comm::startsWith)) {
            String stat = Files.readString(t.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          }
        } catch (IOException e) {
          // the thread ended
        }
      }
    }
    return Duration.ofMillis(ticks * 10);
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
