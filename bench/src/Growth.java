import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Growth (SPEC §8): latency of the main reads and of one timer claim at a small and a large number
 * of trades, with history, reminders and events in proportion, seeded set-based in SQL from rows
 * the API wrote (so every column is as the service writes it), while retention runs.
 *
 * <p>Per trade: two parties' links, three history entries, one reminder record and three events
 * (each carrying the trade, as real events do). A third of the trades wait for a reply with a
 * timer in the coming hours. Tenants hold up to 100,000 trades each; the ten trades of a block
 * (g / 10) are all between its two parties. Trades and their events are dated over the last 33
 * days, in feed order (as a service that grows for real appends them), so the oldest tenth is past
 * the 30 days' retention when seeded.
 *
 * <p>The state the reads are timed in is the same at both sizes ({@link #settle}): retention has
 * removed the seed's expired events, the tables have been vacuumed and analysed and a checkpoint
 * has written the seed out, as on a service whose retention and autovacuum keep up; retention
 * keeps running during the reads. Every read picks its keys at random over the whole seeded range
 * (every tenant, every trade), and the reads and the claim take turns, so each sees the same
 * background work.
 */
final class Growth {

  static final int PER_TENANT = 100_000;

  record Read(String name, Load.Result result, double firstHalfP99, double secondHalfP99, String plan,
      boolean indexed) {}

  /** What {@link #settle} did: the seed's expired events removed by retention, and how long it all took. */
  record Settled(long seededExpired, long removed, double retentionSeconds, double vacuumSeconds,
      double checkpointSeconds) {}

  /** A size's figures, and what ran beside the timed reads. */
  record Step(long trades, long events, List<Read> reads, List<String> conditions) {}

  private final Pg pg;
  private final Nudge nudge;
  private final Api api;
  private final String tradeTemplate;
  private final String waitingTemplate;
  private final String remindedTemplate;
  private long total;
  private long seededExpired;
  /** Every plan the bench took, in full (written next to the service's log). */
  final StringBuilder plans = new StringBuilder();
  private long tenants;

  /** The API key of seeded tenant {@code t}. */
  static String key(long t) {
    return "nk_live_bench_growth_tenant_" + t + "_key";
  }

  Growth(Pg pg, Nudge nudge, Api api) throws Exception {
    this.pg = pg;
    this.nudge = nudge;
    this.api = api;
    try (Http http = new Http(nudge.port)) {
      tradeTemplate = api.createTrade(http, 0, null);
      waitingTemplate = api.createTrade(http, 1, null);
      Api.expect(http.post("/v1/trades/" + waitingTemplate + "/actions", api.key, null,
          "{\"type\":\"request_reply\",\"partyId\":\"" + api.seller + "\"}"), 200);
      remindedTemplate = api.createTrade(http, 2, null);
      Api.expect(http.post("/v1/trades/" + remindedTemplate + "/actions", api.key, null,
          "{\"type\":\"request_reply\",\"partyId\":\"" + api.seller + "\"}"), 200);
      Api.expect(http.post("/v1/trades/" + remindedTemplate + "/reminders", api.key, null,
          "{\"fromPartyId\":\"" + api.seller + "\"}"), 201);
    }
  }

  /**
   * Replaces the seeded data with {@code trades} trades, oldest first (so the feed's order is the
   * order of time, as when a service grows for real), spread over one tenant per 100,000.
   */
  void seed(long trades) throws Exception {
    this.total = trades;
    this.tenants = (trades + PER_TENANT - 1) / PER_TENANT;
    try (Connection c = pg.connect()) {
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        for (String[] t : List.of(new String[] {"trade_party", "trade_id", "trd"}, new String[] {"trade_history", "trade_id", "trd"},
            new String[] {"reminder", "id", "rem"}, new String[] {"event", "id", "evt"}, new String[] {"trade", "id", "trd"},
            new String[] {"party", "id", "pty"}, new String[] {"event_horizon", "tenant_id", "ten"},
            new String[] {"api_key", "tenant_id", "ten"}, new String[] {"tenant", "id", "ten"})) {
          s.execute("delete from " + t[0] + " where " + t[1] + " like '" + t[2] + "_0000000000%'");
        }
        s.execute("insert into tenant (id, name, mode, created_at) select " + id("ten", "t") + ", 'Seeded ' || t, 'live',"
            + " now() - interval '40 days' from generate_series(0, " + (tenants - 1) + ") t");
        for (long t = 0; t < tenants; t++) {
          s.execute("insert into api_key (id, tenant_id, key_hash, prefix, created_at) values ('key_bench_growth_" + t
              + "', " + id("ten", Long.toString(t)) + ", '" + sha256(key(t)) + "', 'nk_live_bench', now())");
        }
      }
      long chunk = 100_000;
      for (long from = 0; from < trades; from += chunk) {
        seedChunk(c, from, Math.min(trades, from + chunk));
      }
      seededExpired = pg.single("select count(*) from generate_series(0, " + (trades - 1) + ") g,"
          + " generate_series(1, 3) k where " + eventAge("g", "k") + " > interval '30 days'");
    }
  }

  /** Event k (1..3) of trade g: 33 days * (total - g) / total ago, the three a third of a slot apart. */
  private String eventAge(String g, String k) {
    return "(interval '33 days' * (" + total + " - " + g + ") / " + total + " - (" + k + " - 1) * interval '33 days' / "
        + (3 * total) + ")";
  }

  /**
   * Brings the database to the state the reads are timed in: retention (running in the service)
   * has removed every seeded event past the 30 days, then {@code VACUUM (ANALYZE)} of the seeded
   * tables (what autovacuum keeps up with on a service in its steady state: visibility map, hint
   * bits, statistics, the removed events' space) and a {@code CHECKPOINT} (the seed written out).
   */
  Settled settle(java.time.Duration timeout) throws Exception {
    long t0 = System.nanoTime();
    // Events are in time order within each tenant's feed, so its oldest tells (one probe per tenant).
    String backlog = "select count(*) from tenant t cross join lateral (select e.created_at from event e"
        + " where e.tenant_id = t.id order by e.txid, e.position limit 1) o"
        + " where o.created_at < now() - interval '30 days' - interval '20 seconds'";
    while (pg.single(backlog) > 0) {
      if (System.nanoTime() - t0 > timeout.toNanos()) {
        throw new IllegalStateException("retention did not remove the seed's expired events within " + timeout);
      }
      Thread.sleep(1000);
    }
    long after = pg.single("select count(*) from event where tenant_id like 'ten_0000000000%'");
    long t1 = System.nanoTime();
    try (Connection c = pg.connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      s.execute("vacuum (analyze) trade, trade_party, trade_history, reminder, event, event_horizon, party, tenant,"
          + " api_key");
      long t2 = System.nanoTime();
      s.execute("checkpoint");
      long t3 = System.nanoTime();
      return new Settled(seededExpired, 3 * total - after, (t1 - t0) / 1e9, (t2 - t1) / 1e9,
          (t3 - t2) / 1e9);
    }
  }

  static String sha256(String s) throws Exception {
    return java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  private static String id(String prefix, String expr) {
    return "'" + prefix + "_' || lpad(to_hex(" + expr + "), 26, '0')";
  }

  /** Blocks of ten trades go round the tenants, so every tenant's rows are spread over the tables. */
  private String tenantOf(String block) {
    return id("ten", "(" + block + ") % " + tenants);
  }

  private void seedChunk(Connection c, long from, long to) throws SQLException {
    try (Statement s = c.createStatement()) {
      List<String> partyCols = columns(c, "party", "id", "tenant_id", "handle");
      s.execute("insert into party (id, tenant_id, handle, " + String.join(", ", partyCols) + ") select "
          + id("pty", "p") + ", " + tenantOf("p / 2") + ", '@seeded_' || p, "
          + prefixed(partyCols, "tpl") + " from party tpl, generate_series(" + (from / 10 * 2) + ", "
          + ((to - 1) / 10 * 2 + 1) + ") p where tpl.id = '" + api.seller + "' on conflict do nothing");
      // Trades: every third waits for a reply, due in the next 1,000 minutes; dated over 33 days.
      String age = "(interval '33 days' * (" + total + " - g) / " + total + ")";
      String initiator = id("pty", "(g / 10) * 2");
      String counterparty = id("pty", "(g / 10) * 2 + 1");
      List<String> tradeCols = columns(c, "trade", "id", "tenant_id", "initiator_id", "counterparty_id",
          "awaiting_party_id", "awaiting_requested_by");
      StringBuilder select = new StringBuilder();
      for (String col : tradeCols) {
        String type = type(c, "trade", col);
        if (type.startsWith("timestamp")) {
          // Shifted: an agreed trade was made 'age' ago; a waiting one is due in 3 to 20 hours,
          // after the run, so the replica's scheduler leaves it alone.
          select.append(", case when g % 3 = 0 then w.").append(col).append(" - w.awaiting_due_at + now()"
              + " + (180 + g % 1000) * interval '1 minute' else a.").append(col)
              .append(" - a.created_at + now() - ").append(age).append(" end");
        } else {
          select.append(", case when g % 3 = 0 then w.").append(col).append(" else a.").append(col).append(" end");
        }
      }
      s.execute("insert into trade (id, tenant_id, initiator_id, counterparty_id, awaiting_party_id,"
          + " awaiting_requested_by, " + String.join(", ", tradeCols) + ") select " + id("trd", "g") + ", "
          + tenantOf("g / 10") + ", " + initiator + ", " + counterparty + ", case when g % 3 = 0 then " + counterparty
          + " end, case when g % 3 = 0 then " + initiator + " end" + select + " from trade a, trade w,"
          + " generate_series(" + from + ", " + (to - 1) + ") g where a.id = '" + tradeTemplate + "' and w.id = '"
          + waitingTemplate + "'");
      s.execute("insert into trade_party (party_id, trade_id) select " + initiator + ", " + id("trd", "g")
          + " from generate_series(" + from + ", " + (to - 1) + ") g union all select " + counterparty + ", "
          + id("trd", "g") + " from generate_series(" + from + ", " + (to - 1) + ") g");
      s.execute("insert into trade_history (trade_id, at, actor, action, from_state, to_state, note, awaited_party_id,"
          + " reminders_sent) select " + id("trd", "g") + ", now() - " + age + " + k * interval '1 hour', "
          + initiator + ", (array['create', 'confirm_payment', 'request_reply'])[k], (array[null, 'agreed',"
          + " 'agreed'])[k], (array['agreed', 'agreed', 'awaiting_reply'])[k], 'Sent by DM', null, 0"
          + " from generate_series(" + from + ", " + (to - 1) + ") g, generate_series(1, 3) k");
      List<String> reminderCols = columns(c, "reminder", "id", "trade_id", "tenant_id", "to_party_id");
      s.execute("insert into reminder (id, trade_id, tenant_id, to_party_id, " + String.join(", ", reminderCols)
          + ") select " + id("rem", "g") + ", " + id("trd", "g") + ", " + tenantOf("g / 10") + ", " + counterparty
          + ", " + prefixed(reminderCols, "r") + " from (select * from reminder where trade_id = '" + remindedTemplate
          + "' limit 1) r, generate_series(" + from + ", " + (to - 1) + ") g");
      s.execute("insert into event (id, tenant_id, type, subject_kind, subject_id, sequence, party_ids, created_at, data)"
          + " select " + id("evt", "g * 3 + k") + ", " + tenantOf("g / 10") + ", (array['trade.created', 'trade.updated',"
          + " 'trade.state_changed'])[k], 'trade', " + id("trd", "g") + ", k, array[" + initiator + ", "
          + counterparty + "], now() - " + eventAge("g", "k") + ", replace(e.data, '" + tradeTemplate
          + "', " + id("trd", "g") + ") from (select data from event where subject_id = '" + tradeTemplate
          + "' order by position limit 1) e, generate_series(" + from + ", " + (to - 1) + ") g,"
          + " generate_series(1, 3) k order by g, k");
    }
  }

  static String prefixed(List<String> cols, String alias) {
    return String.join(", ", cols.stream().map(c -> alias + "." + c).toList());
  }

  static List<String> columns(Connection c, String table, String... except) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("select column_name from information_schema.columns"
        + " where table_schema = 'public' and table_name = ? and not column_name = any(?)"
        + " and is_generated = 'NEVER' and column_default is distinct from 'pg_current_xact_id()'"
        + " and not (column_default is not null and column_default like 'nextval%') order by ordinal_position")) {
      ps.setString(1, table);
      ps.setArray(2, c.createArrayOf("text", except));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  static String type(Connection c, String table, String column) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select data_type from information_schema.columns"
        + " where table_schema = 'public' and table_name = ? and column_name = ?")) {
      ps.setString(1, table);
      ps.setString(2, column);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /** One timed operation: an HTTP read on the reads' connection, or the claim on its own. */
  private interface Op {
    boolean run(Http http) throws Exception;
  }

  /**
   * Warms the service's code up on the bench's own tenant (its three template trades, its two
   * parties, its few events) for {@code seconds}: compiles the reads' paths before the first size
   * is seeded, without touching a seeded row, so that neither size's cache is warmed by it and the
   * first size does not pay for the compiler. Returns the rounds it ran.
   */
  long warmCode(double seconds) throws Exception {
    String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString("c1:0:0".getBytes());
    long rounds = 0;
    long until = System.nanoTime() + (long) (seconds * 1e9);
    try (Http http = new Http(nudge.port)) {
      for (; System.nanoTime() < until; rounds++) {
        for (String path : List.of("/v1/trades/" + tradeTemplate, "/v1/parties/" + api.seller + "/trades",
            "/v1/events?limit=50&after=" + cursor, "/v1/parties/" + api.buyer + "/reminders")) {
          Api.expect(http.get(path, api.key), 200);
        }
      }
    }
    return rounds;
  }

  /**
   * Times every read and the claim {@code samples} times after {@code warm} untimed rounds, in
   * rounds that run each once in a shuffled order; keys at random over the whole seeded range.
   */
  Step measure(int samples, int warm) throws Exception {
    Random random = new Random(42);
    long blocks = total / 10;
    List<String> cursors = cursors(random, 1000);
    Map<String, Op> ops = new LinkedHashMap<>();
    ops.put("a trade", http -> {
      long g = random.nextLong(total);
      return http.get("/v1/trades/" + tradeId(g), key(g / 10 % tenants)).status() == 200;
    });
    ops.put("a party's trades", http -> {
      long p = random.nextLong(blocks * 2);
      return http.get("/v1/parties/" + partyId(p) + "/trades", key(p / 2 % tenants)).status() == 200;
    });
    ops.put("the feed page", http -> {
      String[] c = cursors.get(random.nextInt(cursors.size())).split(" ");
      return http.get("/v1/events?limit=50&after=" + c[1], c[0]).status() == 200;
    });
    ops.put("a party's reminders", http -> {
      long p = random.nextLong(blocks * 2);
      return http.get("/v1/parties/" + partyId(p) + "/reminders", key(p / 2 % tenants)).status() == 200;
    });
    String claimSql = claimSql();
    try (Connection claims = pg.connect(); Http http = new Http(nudge.port)) {
      claims.setAutoCommit(false);
      ops.put(CLAIM, h -> {
        int rows = 0;
        try (Statement s = claims.createStatement(); ResultSet rs = s.executeQuery(claimSql)) {
          while (rs.next()) {
            rows++;
          }
        }
        claims.rollback();
        if (rows != 500) {
          throw new IllegalStateException("the claim found " + rows + " rows, not 500");
        }
        return true;
      });
      List<String> names = new ArrayList<>(ops.keySet());
      for (int round = 0; round < warm; round++) {
        java.util.Collections.shuffle(names, random);
        for (String name : names) {
          ops.get(name).run(http);
        }
      }
      Background before = background();
      pg.execute("select pg_stat_statements_reset()");
      Map<String, long[]> micros = new LinkedHashMap<>();
      ops.keySet().forEach(name -> micros.put(name, new long[samples]));
      long t0 = System.nanoTime();
      for (int round = 0; round < samples; round++) {
        java.util.Collections.shuffle(names, random);
        for (String name : names) {
          long start = System.nanoTime();
          if (!ops.get(name).run(http)) {
            throw new IllegalStateException("growth read " + name + " failed");
          }
          micros.get(name)[round] = (System.nanoTime() - start) / 1000;
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      List<String> conditions = new ArrayList<>();
      conditions.add(String.format("%,d rounds in %.0f s; %s", samples, seconds, background().since(before)));
      conditions.addAll(statements());
      List<Read> reads = new ArrayList<>();
      for (Map.Entry<String, long[]> e : micros.entrySet()) {
        long[] all = e.getValue();
        long[] first = java.util.Arrays.copyOfRange(all, 0, samples / 2);
        long[] second = java.util.Arrays.copyOfRange(all, samples / 2, samples);
        String[] plan = e.getKey().equals(CLAIM) ? explain(claims, "explain (analyze, buffers) " + claimSql)
            : plan(ops.get(e.getKey()));
        claims.rollback();
        reads.add(new Read(e.getKey(), sorted(e.getKey(), all, seconds), sorted("", first, 1).p99(),
            sorted("", second, 1).p99(), plan[0], plan[1] == null));
      }
      return new Step(total, pg.single("select count(*) from event"), reads, conditions);
    }
  }

  static final String CLAIM = "one timer claim (500 rows)";

  private static Load.Result sorted(String name, long[] micros, double seconds) {
    long[] copy = micros.clone();
    java.util.Arrays.sort(copy);
    return new Load.Result(name, copy.length, 0, seconds, copy);
  }

  /** Counters of the work the database did beside the reads. */
  private record Background(long events, long autovacuums, long checkpoints) {
    String since(Background b) {
      return String.format("beside them retention removed %,d events (expired during the reads), autovacuum ran %d"
          + " times, %d checkpoints", b.events - events, autovacuums - b.autovacuums, checkpoints - b.checkpoints);
    }
  }

  private Background background() throws SQLException {
    return new Background(pg.single("select count(*) from event"),
        pg.single("select coalesce(sum(autovacuum_count + autoanalyze_count), 0) from pg_stat_user_tables"),
        pg.single("select checkpoints_timed + checkpoints_req from pg_stat_bgwriter"));
  }

  /** The statements of the timed rounds, from pg_stat_statements: the costliest first. */
  private List<String> statements() throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = pg.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "select calls, mean_exec_time, max_exec_time, (shared_blks_hit + shared_blks_read)::float8 / calls,"
            + " shared_blks_read::float8 / calls, regexp_replace(query, '\\s+', ' ', 'g') from pg_stat_statements"
            + " where calls >= 10 and query !~* '^(select pg_stat|select count|begin|commit|rollback|set )'"
            + " order by total_exec_time desc limit 8")) {
      while (rs.next()) {
        String q = rs.getString(6);
        out.add(String.format("  statement %,7d calls, mean %6.3f ms, max %7.2f ms, %6.1f buffers (%.1f read)"
            + " per call: %s", rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5),
            q.length() > 110 ? q.substring(0, 110) + "…" : q));
      }
    }
    return out;
  }

  static String tradeId(long g) {
    return "trd_" + String.format("%26s", Long.toHexString(g)).replace(' ', '0');
  }

  static String partyId(long p) {
    return "pty_" + String.format("%26s", Long.toHexString(p)).replace(' ', '0');
  }

  /**
   * {@code n} feed cursors, each "key cursor", just before an event picked at random among all the
   * seeded events that retention keeps for the next 28 days.
   */
  private List<String> cursors(Random random, int n) throws SQLException {
    long from = (long) Math.ceil(total * (1 - 28.0 / 33));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add("evt_" + String.format("%26s", Long.toHexString((from + random.nextLong(total - from)) * 3
          + 1 + random.nextInt(3))).replace(' ', '0'));
    }
    List<String> out = new ArrayList<>();
    try (Connection c = pg.connect();
        PreparedStatement ps = c.prepareStatement("select tenant_id, txid::text, position from event"
            + " where id = any(?)")) {
      ps.setArray(1, c.createArrayOf("text", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long tenant = Long.parseLong(rs.getString(1).substring(4), 16);
          out.add(key(tenant) + " " + Base64.getUrlEncoder().withoutPadding().encodeToString(
              ("c1:" + rs.getString(2) + ":" + (rs.getLong(3) - 1)).getBytes()));
        }
      }
    }
    if (out.size() < n * 9 / 10) {
      throw new IllegalStateException("only " + out.size() + " of " + n + " feed cursors found");
    }
    return out;
  }

  /** The engine's claim (TimerEngine): 500 due rows, locked; the caller rolls back. */
  private String claimSql() throws SQLException {
    return "select timer_failures as timer_engine_failures, " + String.join(", ", tradeColumns())
        + " from trade where timer_at <= now() + interval '20 hours' and not test_clock order by timer_at limit 500"
        + " for update skip locked";
  }

  private List<String> tradeColumns() throws SQLException {
    try (Connection c = pg.connect()) {
      List<String> out = new ArrayList<>();
      try (ResultSet rs = c.createStatement().executeQuery("select column_name from information_schema.columns"
          + " where table_name = 'trade' and column_name <> 'timer_failures' order by ordinal_position")) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }

  static final Pattern NODE = Pattern.compile("(Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)( Backward)?"
      + "(?: using (\\S+))? on (\\S+)");
  static final Pattern BUFFERS = Pattern.compile("Buffers: shared (.*)$");
  static final List<String> BIG = List.of("trade", "trade_party", "trade_history", "reminder", "event", "party");

  /** The access paths of the read's statements on the big tables, from EXPLAIN (ANALYZE, BUFFERS). */
  private String[] plan(Op read) throws Exception {
    List<Baseline.Logged> logged = Baseline.capture(pg, attempt -> {
      try (Http http = new Http(nudge.port)) {
        read.run(http);
        pg.execute("select 'nudge-bench-capture-begin'");
        read.run(http);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    List<String> paths = new ArrayList<>();
    String seq = null;
    try (Connection c = pg.connect()) {
      c.setAutoCommit(false);
      for (Baseline.Logged l : logged) {
        if (!l.sql().toLowerCase().startsWith("select") || !touchesBig(l.sql())) {
          continue;
        }
        String[] p = explainPrepared(c, l);
        paths.add(p[0]);
        if (p[1] != null) {
          seq = p[1];
        }
      }
      c.rollback();
    }
    return new String[] {String.join("; ", paths), seq};
  }

  private static boolean touchesBig(String sql) {
    for (String t : BIG) {
      if (Pattern.compile("\\b(from|join) " + t + "\\b").matcher(sql.toLowerCase()).find()) {
        return true;
      }
    }
    return false;
  }

  private String[] explainPrepared(Connection c, Baseline.Logged l) throws SQLException {
    try (Statement s = c.createStatement()) {
      plans.append('\n').append(total).append(" trades, prepared: ").append(l.sql()).append('\n');
      s.execute("prepare nudge_growth_probe as " + l.sql());
      try {
        List<String> values = new ArrayList<>();
        for (String v : l.params()) {
          values.add(v == null ? "null" : "'" + v.replace("'", "''") + "'");
        }
        return explain(c, "explain (analyze, buffers) execute nudge_growth_probe"
            + (values.isEmpty() ? "" : "(" + String.join(", ", values) + ")"));
      } finally {
        s.execute("deallocate nudge_growth_probe");
      }
    }
  }

  /** {access paths with their times, the first sequential scan of a big table or null}. */
  private String[] explain(Connection c, String sql) throws SQLException {
    List<String> nodes = new ArrayList<>();
    String seq = null;
    double time = 0;
    String buffers = null;
    plans.append('\n').append(total).append(" trades: ").append(sql).append('\n');
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        String line = rs.getString(1);
        plans.append(line).append('\n');
        // The first Buffers line is the whole plan's (the top node's, children included).
        Matcher b = BUFFERS.matcher(line);
        if (buffers == null && b.find() && !line.trim().startsWith("Planning")) {
          buffers = b.group(1).trim();
        }
        Matcher m = NODE.matcher(line);
        if (m.find()) {
          String table = m.group(4);
          nodes.add(m.group(1) + (m.group(3) == null ? "" : " " + m.group(3)));
          if (m.group(1).equals("Seq Scan") && BIG.contains(table)) {
            seq = table;
          }
        }
        Matcher t = Pattern.compile("Execution Time: ([\\d.]+) ms").matcher(line);
        if (t.find()) {
          time = Double.parseDouble(t.group(1));
        }
      }
    }
    return new String[] {String.join(" + ", nodes) + String.format(" (%.2f ms%s)", time,
        buffers == null ? "" : ", buffers " + buffers), seq};
  }
}
