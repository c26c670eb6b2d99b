package dev.nudge.schedule;

import dev.nudge.schedule.TimerMachine.Decider;
import dev.nudge.schedule.TimerMachine.Decision;
import dev.nudge.schedule.TimerMachine.Fire;
import dev.nudge.schedule.TimerMachine.Fired;
import dev.nudge.schedule.TimerMachine.Retime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Fires one claimed batch of one machine, in the caller's transaction on the connection: the
 * machine decides every row in memory, the outcomes are written set-based under a savepoint, stale
 * timers are corrected, and rows that failed are put back with a backoff. A failing row never
 * blocks its batch.
 */
final class TimerBatch {

  private static final Logger LOG = Logger.getLogger(TimerBatch.class);

  /** A claimed row and how many times in a row its timer has failed before. */
  record Claimed<R>(R row, String id, int failures) {}

  /** How many timers fired, and the ids of the rows that failed (and were put back). */
  record Result(List<Fired> fired, List<String> failed) {}

  private TimerBatch() {}

  /** The claim's select list: the engine's bookkeeping, then the machine's row. */
  static String selectList(TimerMachine<?, ?> m) {
    return "timer_failures as timer_engine_failures, " + m.columns();
  }

  static <R> List<Claimed<R>> read(TimerMachine<R, ?> m, PreparedStatement ps) throws SQLException {
    List<Claimed<R>> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        R row = m.read(rs);
        out.add(new Claimed<>(row, m.id(row), rs.getInt("timer_engine_failures")));
      }
    }
    return out;
  }

  /**
   * Fires the timers of {@code claimed} due by {@code now}. Failed rows are postponed by {@code
   * backoff} from {@code now} and counted, and reported in the result.
   */
  static <R, F extends Fired> Result fire(
      Connection c, TimerMachine<R, F> m, List<Claimed<R>> claimed, Instant now, Backoff backoff)
      throws SQLException {
    if (claimed.isEmpty()) {
      return new Result(List.of(), List.of());
    }
    Decider<R, F> decider = m.prepare(c, claimed.stream().map(Claimed::row).toList());
    List<F> fired = new ArrayList<>(claimed.size());
    Map<String, Instant> retimed = new HashMap<>();
    Map<String, Throwable> failed = new HashMap<>();
    for (Claimed<R> row : claimed) {
      try {
        Decision<F> d = decider.decide(row.row(), now);
        if (d instanceof Fire<F> f) {
          fired.add(f.fired());
        } else if (d instanceof Retime<F> r) {
          retimed.put(row.id(), r.timerAt());
        }
      } catch (RuntimeException e) {
        failed.put(row.id(), e);
      }
    }
    retime(c, m, retimed);
    List<F> written = writeIsolatingFailures(c, m, fired, failed);
    Set<String> succeeded = new HashSet<>(retimed.keySet());
    written.forEach(f -> succeeded.add(f.subjectId()));
    resetFailures(c, m, claimed, succeeded);
    postpone(c, m, failed, now, backoff);
    return new Result(List.copyOf(written), List.copyOf(failed.keySet()));
  }

  /**
   * Writes the outcomes under a savepoint. If the database refuses the data (a constraint, a bad
   * value, a trigger), the write is rolled back to the savepoint and each half is tried again, down
   * to the single row at fault, which goes to {@code failed}; a poisoned row among 500 costs about
   * 18 savepoints, not 500. Any other error (a lock timeout, a lost connection) is not the data's
   * fault and is thrown, so the whole batch is retried by the next poll. Returns what was written.
   */
  private static <F extends Fired> List<F> writeIsolatingFailures(
      Connection c, TimerMachine<?, F> m, List<F> fired, Map<String, Throwable> failed)
      throws SQLException {
    if (fired.isEmpty()) {
      return fired;
    }
    execute(c, "savepoint timer_batch");
    try {
      m.write(c, fired);
      execute(c, "release savepoint timer_batch");
      return fired;
    } catch (SQLException | RuntimeException e) {
      if (e instanceof SQLException sql && !refusedData(sql)) {
        throw sql;
      }
      execute(c, "rollback to savepoint timer_batch");
      execute(c, "release savepoint timer_batch");
      if (fired.size() == 1) {
        failed.put(fired.get(0).subjectId(), e);
        return List.of();
      }
      int half = fired.size() / 2;
      List<F> written =
          new ArrayList<>(writeIsolatingFailures(c, m, fired.subList(0, half), failed));
      written.addAll(writeIsolatingFailures(c, m, fired.subList(half, fired.size()), failed));
      return written;
    }
  }

  /** Data exceptions (22), integrity violations (23), raised by PL/pgSQL (P0), or a lost row. */
  private static boolean refusedData(SQLException e) {
    String state = e.getSQLState();
    return e instanceof TimerMachine.RowsNotWritten
        || state != null
            && (state.startsWith("22") || state.startsWith("23") || state.startsWith("P0"));
  }

  private static void retime(Connection c, TimerMachine<?, ?> m, Map<String, Instant> timers)
      throws SQLException {
    if (timers.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "update "
                + m.table()
                + " t set timer_at = x.timer_at from unnest(?::text[], ?::timestamptz[])"
                + " as x(id, timer_at) where t.id = x.id")) {
      List<String> ids = new ArrayList<>(timers.keySet());
      ps.setArray(1, c.createArrayOf("text", ids.toArray()));
      ps.setArray(
          2,
          c.createArrayOf(
              "timestamptz",
              ids.stream()
                  .map(
                      id -> timers.get(id) == null ? null : timers.get(id).atOffset(ZoneOffset.UTC))
                  .toArray()));
      ps.executeUpdate();
    }
  }

  /** A success (a timer fired, or found not due) ends a run of failures. */
  private static <R> void resetFailures(
      Connection c, TimerMachine<R, ?> m, List<Claimed<R>> claimed, Set<String> ok)
      throws SQLException {
    List<String> recovered = new ArrayList<>();
    for (Claimed<R> row : claimed) {
      if (row.failures() > 0 && ok.contains(row.id())) {
        recovered.add(row.id());
      }
    }
    if (recovered.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement("update " + m.table() + " set timer_failures = 0 where id = any(?)")) {
      ps.setArray(1, c.createArrayOf("text", recovered.toArray()));
      ps.executeUpdate();
    }
  }

  /**
   * Puts failed rows back: the timer moves {@code retry-after × 2^failures} (capped) past {@code
   * now} and the failure count grows, one log line per row. The retry fires what was due, dated
   * when it was due, because firing computes from the subject's own due times.
   */
  private static void postpone(
      Connection c, TimerMachine<?, ?> m, Map<String, Throwable> failed, Instant now, Backoff b)
      throws SQLException {
    if (failed.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "update "
                + m.table()
                + " set timer_failures = timer_failures + 1, timer_at = ?::timestamptz"
                + " + make_interval(secs => least(? * power(2, least(timer_failures, 30)), ?))"
                + " where id = any(?) returning id, timer_failures, timer_at")) {
      ps.setObject(1, now.atOffset(ZoneOffset.UTC));
      ps.setDouble(2, b.first().toMillis() / 1000.0);
      ps.setDouble(3, b.max().toMillis() / 1000.0);
      ps.setArray(4, c.createArrayOf("text", failed.keySet().toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Throwable cause = failed.get(rs.getString(1));
          LOG.errorf(
              "%s timer of %s failed (%d in a row); retried at %s: %s",
              m.name(),
              rs.getString(1),
              rs.getInt(2),
              rs.getObject(3, java.time.OffsetDateTime.class).toInstant(),
              cause);
        }
      }
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Retry delays: {@code first × 2^failures}, at most {@code max}. */
  record Backoff(Duration first, Duration max) {}
}
