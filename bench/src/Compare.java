import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A/B comparison of two builds of the jar, for performance work on a noisy machine: both run
 * against one PostgreSQL and are loaded in alternating blocks, so both see the same noise; the
 * figure compared is the CPU of the request threads per request (JIT and GC threads excluded).
 *
 * <p>Usage: {@code java -cp target/bench-classes:target/quarkus-app/lib/main/* Compare A.jar B.jar
 * SECONDS ROUNDS create|action|get ["JVM options A"] ["JVM options B"]}; CONC (default 8) sets
 * the connections.
 */
public class Compare {
  public static void main(String[] args) throws Exception {
    String[] jars = {args[0], args[1]};
    double secs = Double.parseDouble(args[2]);
    int rounds = Integer.parseInt(args[3]);
    String what = args.length > 4 ? args[4] : "create";
    List<String> jvmA = args.length > 5 ? List.of(args[5].split(" ")).stream().filter(x -> !x.isBlank()).toList() : List.of();
    List<String> jvmB = args.length > 6 ? List.of(args[6].split(" ")).stream().filter(x -> !x.isBlank()).toList() : jvmA;
    int conc = Integer.parseInt(System.getenv().getOrDefault("CONC", "8"));
    Path dir = Files.createTempDirectory("nudge-bench-");
    try (Pg pg = Pg.start(dir)) {
      Nudge[] n = new Nudge[2];
      Api[] api = new Api[2];
      Load.Call[] calls = new Load.Call[2];
      for (int i = 0; i < 2; i++) {
        System.setProperty("bench.jar", jars[i]);
        n[i] = Nudge.start(pg, "ab" + i, i == 0 ? jvmA : jvmB, Map.of());
        api[i] = Api.tenant(n[i].port, "AB " + i);
        calls[i] = what.equals("create") ? api[i].create() : what.equals("action") ? api[i].new Pool(64).action()
            : what.equals("get") ? get(api[i]) : null;
      }
      List<List<Double>> cpu = List.of(new ArrayList<>(), new ArrayList<>());
      List<List<Double>> rate = List.of(new ArrayList<>(), new ArrayList<>());
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < 2; i++) {
          Duration[] c = new Duration[4];
          Nudge x = n[i];
          Load.Result res = Load.closed(what, x.port, conc, r == 0 ? secs : 2, secs, calls[i], new Load.Window() {
            public void opened() throws Exception { c[0] = x.cpu(); c[2] = x.requestThreadsCpu(); }
            public void closed() throws Exception { c[1] = x.cpu(); c[3] = x.requestThreadsCpu(); }
          });
          double all = c[1].minus(c[0]).toNanos() / 1e3 / (res.requests() + res.errors());
          double us = c[3].minus(c[2]).toNanos() / 1e3 / (res.requests() + res.errors());
          if (r > 0) { cpu.get(i).add(us); rate.get(i).add(res.rate()); }
          System.out.printf("round %d %s: %s, request threads %.0f µs/req (JVM all %.0f)%n", r, i == 0 ? "A" : "B",
              res.describe(), us, all);
        }
      }
      for (int i = 0; i < 2; i++) {
        System.out.printf("%s %s: median request threads %.0f µs/req, median %.0f req/s  RSS %.0f MB%n", i == 0 ? "A" : "B", jars[i],
            median(cpu.get(i)), median(rate.get(i)), n[i].rssMb());
        n[i].close();
      }
    }
  }

  static Load.Call get(Api api) throws Exception {
    String t;
    try (Http h = new Http(api.port)) { t = api.createTrade(h, 0, null); }
    return (h, i) -> h.get("/v1/trades/" + t, api.key).status() == 200;
  }

  static double median(List<Double> v) {
    List<Double> s = v.stream().sorted().toList();
    return s.isEmpty() ? Double.NaN : s.get(s.size() / 2);
  }
}
