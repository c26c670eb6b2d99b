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
 * (g / 10) are all between its two parties. Trades and
 * their events are dated over the last 33 days, so retention has the oldest tenth to remove
 * while the reads are measured.
 */
final class Growth {

  static final int PER_TENANT = 100_000;

  record Read(String name, Load.Result result, String plan, boolean indexed) {}

  record Step(long trades, long events, List<Read> reads, long seededExpired, long expiredLeft) {}

  private final Pg pg;
  private final Nudge nudge;
  private final Api api;
  private final String tradeTemplate;
  private final String waitingTemplate;
  private final String remindedTemplate;
  private long total;
  private long seededExpired;
  private long tenants;
  /** The key of seeded tenant 0, whose data the reads ask for. */
  static final String KEY = "nk_live_bench_growth_tenant_zero_key";

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
        s.execute("insert into api_key (id, tenant_id, key_hash, prefix, created_at) values ('key_bench_growth', "
            + id("ten", "0") + ", '" + sha256(KEY) + "', 'nk_live_bench', now())");
      }
      long chunk = 100_000;
      for (long from = 0; from < trades; from += chunk) {
        seedChunk(c, from, Math.min(trades, from + chunk));
      }
      try (Statement s = c.createStatement()) {
        s.execute("vacuum analyze trade, trade_party, trade_history, reminder, event, party, tenant");
      }
      // Event k of seeded trade g was created at now() - 33 days * (total - g) / total + k hours.
      seededExpired = pg.single("select count(*) from generate_series(0, " + (trades - 1) + ") g,"
          + " generate_series(1, 3) k where interval '33 days' * (" + trades + " - g) / " + trades
          + " - k * interval '1 hour' > interval '30 days'");
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
          + counterparty + "], now() - " + age + " + k * interval '1 hour', replace(e.data, '" + tradeTemplate
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

  /** Measures every read {@code requests} times on one connection, and the timer claim. */
  Step measure(int requests, int warmRounds) throws Exception {
    Random random = new Random(42);
    // Tenant 0's blocks of ten trades are b * tenants; their parties 2b and 2b + 1.
    long blocks = (total / 10 + tenants - 1) / tenants;
    Map<String, Load.Call> calls = new LinkedHashMap<>();
    calls.put("a trade", (http, i) -> http.get("/v1/trades/"
        + tradeId((random.nextLong(blocks) * tenants) * 10 + random.nextInt(10)), KEY).status() == 200);
    calls.put("a party's trades", (http, i) -> http.get("/v1/parties/"
        + partyId(random.nextLong(blocks) * tenants * 2 + random.nextInt(2)) + "/trades", KEY).status() == 200);
    List<String> cursors = cursors(200);
    calls.put("the feed page", (http, i) -> http.get("/v1/events?limit=50&after="
        + cursors.get(random.nextInt(cursors.size())), KEY).status() == 200);
    calls.put("a party's reminders", (http, i) -> http.get("/v1/parties/"
        + partyId(random.nextLong(blocks) * tenants * 2 + random.nextInt(2)) + "/reminders", KEY).status() == 200);
    // Compiled and cached before anything is timed (the first size would pay for it otherwise).
    for (int round = 0; round < warmRounds; round++) {
      for (Load.Call call : calls.values()) {
        Load.count("warm-up", nudge.port, requests, call);
      }
    }
    List<Read> reads = new ArrayList<>();
    for (Map.Entry<String, Load.Call> e : calls.entrySet()) {
      Load.Result r = Load.count(e.getKey(), nudge.port, requests, e.getValue());
      if (r.errors() > 0) {
        throw new IllegalStateException("growth read " + e.getKey() + ": " + r.errors() + " failed");
      }
      String[] plan = plan(e.getValue());
      reads.add(new Read(e.getKey(), r, plan[0], plan[1] == null));
    }
    reads.add(claim(requests));
    long events = pg.single("select count(*) from event");
    long left = pg.single("select count(*) from event where created_at < now() - interval '30 days'");
    return new Step(total, events, reads, seededExpired, left);
  }

  static String id0() {
    return "ten_" + "0".repeat(26);
  }

  static String tradeId(long g) {
    return "trd_" + String.format("%26s", Long.toHexString(g)).replace(' ', '0');
  }

  static String partyId(long p) {
    return "pty_" + String.format("%26s", Long.toHexString(p)).replace(' ', '0');
  }

  /** Feed cursors just before events of the last 20 days, which retention keeps. */
  private List<String> cursors(int n) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = pg.connect();
        PreparedStatement ps = c.prepareStatement("select txid::text, position from event where tenant_id = ?"
            + " and created_at > now() - interval '20 days' order by random() limit ?")) {
      ps.setString(1, id0());
      ps.setInt(2, n);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(Base64.getUrlEncoder().withoutPadding().encodeToString(
              ("c1:" + rs.getString(1) + ":" + (rs.getLong(2) - 1)).getBytes()));
        }
      }
    }
    return out;
  }

  /** The engine's claim (TimerEngine): 500 due rows, locked, in a transaction rolled back. */
  private Read claim(int repeats) throws Exception {
    String sql = "select timer_failures as timer_engine_failures, " + String.join(", ", tradeColumns())
        + " from trade where timer_at <= now() + interval '20 hours' and not test_clock order by timer_at limit 500"
        + " for update skip locked";
    long[] micros = new long[repeats];
    try (Connection c = pg.connect()) {
      c.setAutoCommit(false);
      for (int i = 0; i < repeats; i++) {
        long t0 = System.nanoTime();
        int rows = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
          while (rs.next()) {
            rows++;
          }
        }
        c.rollback();
        micros[i] = (System.nanoTime() - t0) / 1000;
        if (rows != 500) {
          throw new IllegalStateException("the claim found " + rows + " rows, not 500");
        }
      }
      java.util.Arrays.sort(micros);
      String[] plan = explain(c, "explain (analyze, buffers) " + sql);
      c.rollback();
      double seconds = java.util.Arrays.stream(micros).sum() / 1e6;
      return new Read("one timer claim (500 rows)", new Load.Result("claim", repeats, 0, seconds, micros), plan[0],
          plan[1] == null);
    }
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
  static final List<String> BIG = List.of("trade", "trade_party", "trade_history", "reminder", "event", "party");

  /** The access paths of the read's statements on the big tables, from EXPLAIN (ANALYZE, BUFFERS). */
  private String[] plan(Load.Call call) throws Exception {
    List<Baseline.Logged> logged = Baseline.capture(pg, attempt -> {
      try (Http http = new Http(nudge.port)) {
        call.run(http, 0);
        pg.execute("select 'nudge-bench-capture-begin'");
        call.run(http, 0);
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

  private static String[] explainPrepared(Connection c, Baseline.Logged l) throws SQLException {
    try (Statement s = c.createStatement()) {
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
  private static String[] explain(Connection c, String sql) throws SQLException {
    List<String> nodes = new ArrayList<>();
    String seq = null;
    double time = 0;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        String line = rs.getString(1);
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
    return new String[] {String.join(" + ", nodes) + String.format(" (%.2f ms)", time), seq};
  }
}
