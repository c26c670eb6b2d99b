import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * API writes (SPEC §8): create-trade and trade-action requests over HTTP at a fixed concurrency,
 * with auth, validation, an Idempotency-Key on every request and the outbox, next to pgbench
 * running the same statements at the same concurrency; then each at half the peak rate, open loop.
 */
final class ApiWrites {

  static final int CONCURRENCY = 16;

  /** One scenario's figures. */
  record Figures(String name, Load.Result peak, Load.Result half, Baseline.Run pgbench, Baseline.Script script,
      double jvmMicros, double pgMicros, double requestThreadMicros, double loadMicros, double machineMicros) {
    double ratio() {
      return peak.rate() / pgbench.tps();
    }
  }

  static List<Figures> run(Pg pg, Nudge nudge, double warm, double maxWarm, double seconds, boolean jfr, Report report)
      throws Exception {
    Api api = Api.tenant(nudge.port, "Bench API writes");
    Api.Pool pool = api.new Pool(256);
    List<Figures> out = new ArrayList<>();
    for (String name : List.of("create", "action")) {
      Load.Call call = name.equals("create") ? api.create() : pool.action();
      Duration[] cpu = new Duration[10];
      Profile profile = new Profile(pg, nudge, name);
      if (jfr) {
        profile.prime();
      }
      warmUp(nudge, name, call, warm, maxWarm, report);
      Load.Result peak = Load.closed(name, nudge.port, CONCURRENCY, 1, seconds, call, new Load.Window() {
        public void opened() throws Exception {
          pg.execute("select pg_stat_statements_reset()");
          if (jfr) {
            profile.opened();
          }
          cpu[0] = nudge.cpu();
          cpu[1] = pg.cpu();
          cpu[4] = nudge.requestThreadsCpu();
          cpu[6] = ownCpu();
          cpu[8] = machineCpu();
        }

        public void closed() throws Exception {
          cpu[2] = nudge.cpu();
          cpu[3] = pg.cpu();
          cpu[5] = nudge.requestThreadsCpu();
          cpu[7] = ownCpu();
          cpu[9] = machineCpu();
          if (jfr) {
            profile.closed();
          }
        }
      });
      profile.printStatements(report, name, peak.requests() + peak.errors());
      if (jfr) {
        profile.printJvm(report, name);
      }
      report.rss(nudge.rssMb());
      double n = peak.requests() + peak.errors();
      double jvm = cpu[2].minus(cpu[0]).toNanos() / 1e3 / n;
      double db = cpu[3].minus(cpu[1]).toNanos() / 1e3 / n;
      double requestThreads = cpu[5].minus(cpu[4]).toNanos() / 1e3 / n;
      double load = cpu[7].minus(cpu[6]).toNanos() / 1e3 / n;
      double machine = cpu[9].minus(cpu[8]).toNanos() / 1e3 / n;
      Load.Result half = Load.open(name, nudge.port, CONCURRENCY, peak.rate() / 2, 1, seconds, call, Load.Window.NONE);
      report.rss(nudge.rssMb());
      if (peak.errors() + half.errors() > 0) {
        throw new IllegalStateException(name + ": " + (peak.errors() + half.errors()) + " requests failed");
      }
      List<Baseline.Script> scripts = scripts(pg, api, pool, name);
      Baseline.Run bench = Baseline.run(pg, scripts, CONCURRENCY, seconds, 0, Path.of("target", "bench", "pgbench-" + name));
      out.add(new Figures(name, peak, half, bench, scripts.get(0), jvm, db, requestThreads, load, machine));
    }
    return out;
  }

  /**
   * Untimed closed-loop rounds of 2 s, for at least {@code seconds}, until the JIT compilers used
   * under a tenth of the service's CPU in the last round (at most {@code max} seconds): on two
   * shared cores a fixed warm-up left the compilers busy through the measured
   * window, and the figure measured the JIT as much as the requests.
   */
  static void warmUp(Nudge nudge, String name, Load.Call call, double seconds, double max, Report report)
      throws Exception {
    double spent = 0;
    double jit = 1;
    while (spent < seconds || (jit > 0.1 && spent < max)) {
      Duration cpu0 = nudge.cpu();
      Duration jit0 = nudge.jitCpu();
      Load.closed(name + " warm-up", nudge.port, CONCURRENCY, 0, 2, call, Load.Window.NONE);
      double all = nudge.cpu().minus(cpu0).toNanos();
      jit = all <= 0 ? 1 : nudge.jitCpu().minus(jit0).toNanos() / all;
      spent += 2;
    }
    report.line("api %s warm-up: %.0f s of closed loop; the JIT compilers' share of the JVM's CPU in its last 2 s: %.0f %%",
        name, spent, 100 * jit);
  }

  /** CPU time of this process: the load generator (and the bench's own samplers). */
  static Duration ownCpu() {
    return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /**
   * CPU time every process on the machine used (/proc/stat: all but idle and iowait), so that what
   * neither Nudge, PostgreSQL nor the load generator used shows as others' work.
   */
  static Duration machineCpu() throws java.io.IOException {
    long[] f = cpuTicks();
    long busy = 0;
    for (int i = 1; i < f.length && i <= 8; i++) {
      if (i != 4 && i != 5) {
        busy += f[i];
      }
    }
    return Duration.ofMillis(busy * 10); // USER_HZ is 100 on Linux
  }

  /**
   * The machine's CPU counters in ticks, indexed as /proc/stat's cpu line (1 user … 4 idle, 5
   * iowait … 8 steal); index 0 is unused.
   */
  static long[] cpuTicks() throws java.io.IOException {
    String[] f = java.nio.file.Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long[] ticks = new long[f.length];
    for (int i = 1; i < f.length; i++) {
      ticks[i] = Long.parseLong(f[i]);
    }
    return ticks;
  }

  /** An Idempotency-Key as its record holds it (its SHA-256), new per request like the key. */
  static String stored(String key) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /** Captures one request of the scenario (both steps for actions) and makes pgbench scripts of it. */
  static List<Baseline.Script> scripts(Pg pg, Api api, Api.Pool pool, String name) throws Exception {
    List<Baseline.Script> scripts = new ArrayList<>();
    if (name.equals("create")) {
      String[] key = new String[1];
      String[] id = new String[1];
      List<Baseline.Logged> logged = Baseline.capture(pg, attempt -> {
        key[0] = Api.newIdempotencyKey();
        try (Http http = new Http(api.port)) {
          // As under load, the key was used a moment ago.
          Api.expect(http.get("/v1/trades?limit=1", api.key), 200);
          pg.execute("select 'nudge-bench-capture-begin'");
          id[0] = api.createTrade(http, 0, key[0]);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, () -> List.of(key[0], id[0]));
      scripts.add(Baseline.script(pg, "create", logged, List.of(id[0], key[0], stored(key[0])), null, 0));
    } else {
      for (String step : List.of("request_reply", "reply")) {
        String[] key = new String[1];
        String[] trade = new String[1];
        List<Baseline.Logged> logged = Baseline.capture(pg, attempt -> {
          try (Http http = new Http(api.port)) {
            key[0] = Api.newIdempotencyKey();
            trade[0] = api.createTrade(http, 0, null);
            if (step.equals("reply")) {
              Api.expect(http.post("/v1/trades/" + trade[0] + "/actions", api.key, null,
                  "{\"type\":\"request_reply\",\"partyId\":\"" + api.seller + "\"}"), 200);
            }
            // Only the action itself runs between the capture's markers.
            pg.execute("select 'nudge-bench-capture-begin'");
            String party = step.equals("reply") ? api.buyer : api.seller;
            Api.expect(http.post("/v1/trades/" + trade[0] + "/actions", api.key, key[0],
                "{\"type\":\"" + step + "\",\"partyId\":\"" + party + "\",\"note\":\"Sent it by DM\"}"), 200);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, () -> List.of(key[0], trade[0]));
        Baseline.pool(pg, trade[0], 1000, "action-" + step);
        scripts.add(Baseline.script(pg, "action-" + step, logged, List.of(key[0], stored(key[0])), trade[0], 1000));
      }
    }
    return scripts;
  }
}
