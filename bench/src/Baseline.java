import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pgbench baseline of an API request: the very statements one request made, read back from
 * the server log with their parameters (log_statement = all, for that one request only), replayed
 * by pgbench at the same concurrency with -M prepared (as the JDBC driver runs them once a
 * statement is prepared), each in the same transaction or autocommit as the service ran it.
 *
 * <p>Values that must be new per request (the trade id, event ids, the Idempotency-Key) become
 * fresh per transaction; for an action, the trade is drawn from a pool of copies of the captured
 * one, and its version is read back by the locking select (\gset) so the versioned update writes
 * its row as the service's does.
 */
final class Baseline {

  /** One logged statement: its text with $n placeholders and its parameter values (null: NULL). */
  record Logged(long pid, String sql, List<String> params) {}

  /** A pgbench script and the -D definitions of its constant parameter values. */
  record Script(String name, List<Logged> statements, String text, Map<String, String> defines, int commits) {}

  private static final Pattern ENTRY =
      Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+ \\w+ \\[(\\d+)\\] ([A-Z]+):  (.*)$");
  static final Pattern GENERATED_ID = Pattern.compile("\\b(evt|rem)_[0-9a-z]{26}\\b");

  private Baseline() {}

  /**
   * Runs requests with every statement logged until two in a row executed the same statements
   * (so a poll of the scheduler or the webhook dispatcher that ran meanwhile is not taken for part
   * of the request), and returns those. {@code request} gets the attempt's number.
   */
  static List<Logged> capture(Pg pg, java.util.function.IntConsumer request) throws Exception {
    return capture(pg, request, List::of);
  }

  /**
   * As {@link #capture(Pg, java.util.function.IntConsumer)}, keeping only the transactions that
   * mention one of {@code markers} (read after each request: its Idempotency-Key, the trade's id),
   * so that the service's background work on other connections (the webhook fan-out a commit
   * wakes) is not taken for the request's.
   */
  static List<Logged> capture(Pg pg, java.util.function.IntConsumer request,
      java.util.function.Supplier<List<String>> markers) throws Exception {
    try (Connection c = pg.connect(); Statement s = c.createStatement()) {
      s.execute("alter system set log_statement = 'all'");
      s.execute("select pg_reload_conf()");
      // The postmaster rereads the file and signals every server process, which applies the
      // setting before its next statement; the shape check below catches a request that began
      // before one of them had the signal.
      Thread.sleep(200);
      try {
        List<Logged> previous = null;
        for (int attempt = 0; attempt < 12; attempt++) {
          long from = Files.size(pg.log);
          s.execute("select 'nudge-bench-capture-begin'");
          try {
            request.accept(attempt);
          } finally {
            s.execute("select 'nudge-bench-capture-end'");
          }
          List<Logged> logged = mentioning(requestOnly(parse(logSince(pg, from))), markers.get());
          if (previous != null && shape(previous).equals(shape(logged))) {
            return logged;
          }
          previous = logged;
        }
      } finally {
        s.execute("alter system reset log_statement");
        s.execute("select pg_reload_conf()");
      }
    }
    throw new IllegalStateException("no two requests in a row ran the same statements");
  }

  private static List<String> shape(List<Logged> logged) {
    return logged.stream().map(Logged::sql).toList();
  }

  /**
   * The server log from byte {@code from} once the end marker is in it: the logging collector
   * writes what the server processes send it a moment after they send it.
   */
  private static String logSince(Pg pg, long from) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      byte[] all = Files.readAllBytes(pg.log);
      String text = new String(all, (int) from, all.length - (int) from, StandardCharsets.UTF_8);
      if (text.contains("nudge-bench-capture-end")) {
        return text;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the server log did not show the capture's end marker within 10 s");
      }
      Thread.sleep(10);
    }
  }

  static List<Logged> parse(String log) {
    List<String[]> entries = new ArrayList<>();
    for (String line : log.split("\n", -1)) {
      Matcher m = ENTRY.matcher(line);
      if (m.matches()) {
        entries.add(new String[] {m.group(1), m.group(2), m.group(3)});
      } else if (!entries.isEmpty()) {
        String[] last = entries.get(entries.size() - 1);
        last[2] = last[2] + "\n" + line;
      }
    }
    List<Logged> out = new ArrayList<>();
    boolean inside = false;
    for (int i = 0; i < entries.size(); i++) {
      String[] e = entries.get(i);
      if (!e[1].equals("LOG")) {
        continue;
      }
      String message = e[2];
      String sql;
      if (message.startsWith("statement: ")) {
        sql = message.substring("statement: ".length());
      } else if (message.startsWith("execute ")) {
        sql = message.substring(message.indexOf(": ") + 2);
      } else {
        continue;
      }
      if (sql.contains("nudge-bench-capture-begin")) {
        // The last begin marker counts: a caller may set things up after the first one.
        inside = true;
        out.clear();
        continue;
      }
      if (sql.contains("nudge-bench-capture-end")) {
        break;
      }
      long pid = Long.parseLong(e[0]);
      if (!inside) {
        continue;
      }
      List<String> params = new ArrayList<>();
      if (i + 1 < entries.size() && entries.get(i + 1)[1].equals("DETAIL")
          && entries.get(i + 1)[0].equals(e[0]) && entries.get(i + 1)[2].startsWith("parameters: ")) {
        params = parameters(entries.get(i + 1)[2].substring("parameters: ".length()));
      }
      out.add(new Logged(pid, sql.strip(), params));
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("no statements captured between the markers");
    }
    return out;
  }

  /**
   * The request's own transactions among the logged ones: the statements of each server process
   * grouped into its transactions (an autocommit statement is one), less the webhook fan-out that
   * a commit wakes at once (it runs in transactions of its own, on other connections, beside the
   * request rather than in it) and less any transaction still open when the capture ended.
   */
  static List<Logged> requestOnly(List<Logged> logged) {
    return transactions(logged, tx -> tx.stream().noneMatch(l -> l.sql().contains("webhook_")));
  }

  /** The complete transactions of {@code logged} with a statement mentioning one of {@code markers}. */
  static List<Logged> mentioning(List<Logged> logged, List<String> markers) {
    if (markers.isEmpty()) {
      return logged;
    }
    return transactions(logged, tx -> tx.stream().anyMatch(l -> markers.stream()
        .anyMatch(m -> l.sql().contains(m) || l.params().stream().anyMatch(p -> p != null && p.contains(m)))));
  }

  /** The statements of the complete transactions of {@code logged} that {@code keep} keeps, in order. */
  static List<Logged> transactions(List<Logged> logged, java.util.function.Predicate<List<Logged>> keep) {
    Map<Long, List<Logged>> open = new java.util.HashMap<>();
    List<List<Logged>> transactions = new ArrayList<>();
    for (Logged l : logged) {
      String upper = l.sql().toUpperCase();
      List<Logged> tx = open.get(l.pid());
      if (tx == null) {
        tx = new ArrayList<>();
        transactions.add(tx);
        if (upper.equals("BEGIN")) {
          open.put(l.pid(), tx);
        }
      }
      tx.add(l);
      if (upper.equals("COMMIT") || upper.equals("ROLLBACK")) {
        open.remove(l.pid());
      }
    }
    java.util.Set<List<Logged>> unfinished = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    unfinished.addAll(open.values());
    List<Logged> out = new ArrayList<>();
    for (List<Logged> tx : transactions) {
      if (keep.test(tx) && !unfinished.contains(tx)) {
        out.addAll(tx);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("no statements of the request captured between the markers");
    }
    return out;
  }

  /** Parses {@code $1 = 'a''b', $2 = NULL, …} as the server logs bound parameters. */
  static List<String> parameters(String detail) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < detail.length()) {
      int eq = detail.indexOf(" = ", i);
      int n = Integer.parseInt(detail.substring(detail.indexOf('$', i) + 1, eq));
      i = eq + 3;
      String value;
      if (detail.startsWith("NULL", i)) {
        value = null;
        i += 4;
      } else {
        StringBuilder v = new StringBuilder();
        i++;
        while (true) {
          char ch = detail.charAt(i++);
          if (ch == '\'') {
            if (i < detail.length() && detail.charAt(i) == '\'') {
              v.append('\'');
              i++;
            } else {
              break;
            }
          } else {
            v.append(ch);
          }
        }
        value = v.toString();
      }
      while (out.size() < n) {
        out.add(null);
      }
      out.set(n - 1, value);
      if (detail.startsWith(", ", i)) {
        i += 2;
      } else {
        break;
      }
    }
    return out;
  }

  /**
   * A pgbench script replaying {@code statements}. {@code fresh}: values new per request
   * (replaced with a value unique per pgbench transaction); {@code tradeId} (for actions, else
   * null): the trade acted on, replaced by one of {@code poolSize} copies.
   */
  static Script script(Pg pg, String name, List<Logged> statements, List<String> fresh, String tradeId, int poolSize)
      throws SQLException {
    StringBuilder text = new StringBuilder();
    Map<String, String> defines = new LinkedHashMap<>();
    text.append("\\set n random(1, 1000000000000000)\n");
    if (tradeId != null) {
      text.append("\\set k random(1, ").append(poolSize).append(")\n");
    }
    int commits = 0;
    boolean inTransaction = false;
    String versionKey = null;
    int uniques = 0;
    Map<String, String> tokens = new LinkedHashMap<>();
    for (String f : fresh) {
      tokens.put(f, "'b" + (uniques++) + "_' || :client_id || '_' || :n");
    }
    if (tradeId != null) {
      tokens.put(tradeId, "'trd_pool_" + name + "_' || :k");
    }
    try (Connection c = pg.connect()) {
      for (int i = 0; i < statements.size(); i++) {
        Logged s = statements.get(i);
        String sql = s.sql();
        String upper = sql.toUpperCase();
        boolean writes = upper.startsWith("INSERT") || upper.startsWith("UPDATE") || upper.startsWith("DELETE")
            || upper.startsWith("WITH");
        if (upper.equals("BEGIN")) {
          inTransaction = true;
        } else if (upper.equals("COMMIT")) {
          inTransaction = false;
          commits++;
        } else if (!inTransaction && writes) {
          commits++;
        }
        Matcher vk = Pattern.compile("version = x\\.(c\\d+) - 1").matcher(sql);
        boolean versioned = tradeId != null && vk.find() && upper.startsWith("UPDATE TRADE");
        if (versioned) {
          versionKey = vk.group(1);
        }
        String[] types = s.params().isEmpty() ? new String[0] : parameterTypes(c, sql, s.params().size());
        String rewritten = sql;
        for (int p = s.params().size(); p >= 1; p--) {
          String value = s.params().get(p - 1);
          String expr;
          if (value == null) {
            expr = "NULL";
          } else {
            String var = name.replaceAll("[^A-Za-z]", "") + "_s" + i + "p" + p;
            List<String[]> replacements = new ArrayList<>();
            String template = value;
            for (Map.Entry<String, String> t : tokens.entrySet()) {
              if (template.contains(t.getKey())) {
                String mark = "@T" + replacements.size() + "@";
                template = template.replace(t.getKey(), mark);
                replacements.add(new String[] {mark, t.getValue()});
              }
            }
            Matcher g = GENERATED_ID.matcher(template);
            StringBuilder sb = new StringBuilder();
            while (g.find()) {
              String mark = "@G" + replacements.size() + "@";
              replacements.add(new String[] {mark, "'" + g.group(1) + "_b" + (uniques++) + "_' || :client_id || '_' || :n"});
              g.appendReplacement(sb, Matcher.quoteReplacement(mark));
            }
            g.appendTail(sb);
            template = sb.toString();
            if (versioned) {
              Matcher v = Pattern.compile("\"" + versionKey + "\":(\\d+)").matcher(template);
              if (v.find()) {
                String mark = "@V" + replacements.size() + "@";
                template = template.substring(0, v.start()) + mark + template.substring(v.end());
                replacements.add(new String[] {mark, "'\"" + versionKey + "\":' || :v"});
              }
            }
            defines.put(var, template);
            expr = ":" + var;
            for (String[] r : replacements) {
              expr = "replace(" + expr + ", '" + r[0] + "', " + r[1] + ")";
            }
            boolean castBySql = rewritten.contains("$" + p + "::");
            if (!replacements.isEmpty() && !castBySql && !types[p - 1].equals("text")
                && !types[p - 1].equals("unknown")) {
              expr = "(" + expr + ")::" + types[p - 1];
            }
          }
          rewritten = rewritten.replace("$" + p, expr);
        }
        text.append(rewritten.replace("\n", " ")).append(";\n");
        if (tradeId != null && upper.startsWith("SELECT") && upper.endsWith("FOR UPDATE") && upper.contains(" FROM TRADE ")) {
          text.append("\\gset r_\n\\set v :r_version + 1\n");
        }
      }
    }
    if (tradeId != null && versionKey == null) {
      throw new IllegalStateException(name + ": no versioned trade update captured");
    }
    return new Script(name, statements, text.toString(), defines, commits);
  }

  /** The parameter types PostgreSQL infers for the statement (as for pgbench's untyped values). */
  private static String[] parameterTypes(Connection c, String sql, int n) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("prepare nudge_bench_probe as " + sql);
      try (ResultSet rs = s.executeQuery(
          "select parameter_types::text[] from pg_prepared_statements where name = 'nudge_bench_probe'")) {
        rs.next();
        String[] types = (String[]) rs.getArray(1).getArray();
        return types.length == n ? types : fill(n);
      } finally {
        s.execute("deallocate nudge_bench_probe");
      }
    } catch (SQLException e) {
      return fill(n);
    }
  }

  private static String[] fill(int n) {
    String[] t = new String[n];
    Arrays.fill(t, "unknown");
    return t;
  }

  /** Copies of the trade for a pgbench action script: same row, ids trd_pool_NAME_1 … _N. */
  static void pool(Pg pg, String tradeId, int size, String name) throws SQLException {
    try (Connection c = pg.connect(); Statement s = c.createStatement()) {
      List<String> columns = new ArrayList<>();
      try (ResultSet rs = s.executeQuery(
          "select column_name from information_schema.columns where table_name = 'trade' and column_name <> 'id'"
              + " order by ordinal_position")) {
        while (rs.next()) {
          columns.add(rs.getString(1));
        }
      }
      String list = String.join(", ", columns);
      try (PreparedStatement ps = c.prepareStatement("insert into trade (id, " + list + ") select 'trd_pool_" + name + "_' || g, "
          + list + " from trade, generate_series(1, ?) g where id = ? on conflict do nothing")) {
        ps.setInt(1, size);
        ps.setString(2, tradeId);
        ps.executeUpdate();
      }
    }
  }

  /** What pgbench measured: transactions per second and the latency percentiles. */
  record Run(double tps, double p50, double p99, long transactions) {}

  static Run run(Pg pg, List<Script> scripts, int clients, double seconds, double rate, Path work)
      throws IOException, InterruptedException {
    Files.createDirectories(work);
    List<String> command = new ArrayList<>(List.of(pgbench(), "-n", "-M", "prepared", "-c", Integer.toString(clients),
        "-j", "2", "-T", Long.toString(Math.round(seconds)), "-h", "localhost", "-p", Integer.toString(pg.port()),
        "-U", "postgres", "-l", "--log-prefix=" + work.resolve("tx").toAbsolutePath()));
    if (rate > 0) {
      command.addAll(List.of("-R", Long.toString(Math.round(rate))));
    }
    for (Script s : scripts) {
      Path file = work.resolve(s.name() + ".sql");
      Files.writeString(file, s.text());
      command.addAll(List.of("-f", file.toAbsolutePath() + "@1"));
      for (Map.Entry<String, String> d : s.defines().entrySet()) {
        command.addAll(List.of("-D", d.getKey() + "=" + d.getValue()));
      }
    }
    try (var old = Files.list(work)) {
      for (Path p : old.filter(p -> p.getFileName().toString().startsWith("tx.")).toList()) {
        Files.delete(p);
      }
    }
    command.add("postgres");
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("PGPASSWORD", "postgres");
    // pgbench's sessions present themselves as a replica's connections do, so the outbox's insert
    // trigger does the same for both (it notifies only for writers other than a replica).
    pb.environment().put("PGOPTIONS", "-c nudge.replica=on");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    Files.writeString(work.resolve("pgbench.out"), out);
    Matcher tps = Pattern.compile("tps = ([\\d.]+) \\(without initial connection time\\)").matcher(out);
    if (code != 0 || !tps.find() || out.contains("aborted in command")) {
      throw new IllegalStateException("pgbench failed (" + code + "):\n" + out);
    }
    List<Long> latencies = new ArrayList<>();
    try (var logs = Files.list(work)) {
      for (Path log : logs.filter(f -> f.getFileName().toString().startsWith("tx.")).toList()) {
        for (String line : Files.readAllLines(log)) {
          String[] f = line.split(" ");
          // client_id transaction_no time script_no time_epoch time_us [schedule_lag]
          long micros = Long.parseLong(f[2]) + (f.length > 6 ? Long.parseLong(f[6]) : 0);
          latencies.add(micros);
        }
      }
    }
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Run(Double.parseDouble(tps.group(1)), percentile(sorted, 50), percentile(sorted, 99), sorted.length);
  }

  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
  }

  static String pgbench() throws IOException, InterruptedException {
    for (String candidate : List.of("pgbench", "/usr/lib/postgresql/15/bin/pgbench")) {
      try {
        Process p = new ProcessBuilder(candidate, "--version").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() == 0) {
          return candidate;
        }
      } catch (IOException e) {
        // next
      }
    }
    try {
      Process p = new ProcessBuilder("pg_config", "--bindir").start();
      String dir = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor() == 0 && Files.isExecutable(Path.of(dir, "pgbench"))) {
        return Path.of(dir, "pgbench").toString();
      }
    } catch (IOException e) {
      // none
    }
    throw new IllegalStateException("pgbench not found: install the PostgreSQL client tools (apt-get install postgresql-client)");
  }
}
