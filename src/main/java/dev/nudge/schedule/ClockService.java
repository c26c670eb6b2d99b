package dev.nudge.schedule;

import dev.nudge.common.auth.Caller;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.ProblemType;
import dev.nudge.common.problem.Validator;
import dev.nudge.common.time.Durations;
import dev.nudge.common.time.TenantClock;
import dev.nudge.common.time.TenantClockMoved;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotBlank;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The test clock of SPEC §6. Advancing locks the tenant row (so two advances run one after the
 * other), fires the tenant's due timers of every machine in due order until none is due by the new
 * time (timers that firing creates included), and only then moves the clock, all in one
 * transaction.
 */
@ApplicationScoped
public class ClockService {

  /** The latest instant the test clock may show. */
  static final Instant LAST = Instant.parse("9999-12-31T23:59:59Z");

  public record ClockView(Instant now) {}

  public record Advanced(Instant now, int processed) {}

  public record AdvanceRequest(@NotBlank(message = "is required") String by) {}

  /** One due timer of the tenant, of some machine. */
  private record Due(TimerMachine<?, ?> machine, String id, Instant at) {}

  private final jakarta.validation.Validator constraints;
  private final Caller caller;
  private final TenantClock clock;
  private final TimerEngine engine;
  private final SchedulerConfig config;
  private final Event<TenantClockMoved> moved;

  public ClockService(
      jakarta.validation.Validator constraints,
      Caller caller,
      TenantClock clock,
      TimerEngine engine,
      SchedulerConfig config,
      Event<TenantClockMoved> moved) {
    this.constraints = constraints;
    this.caller = caller;
    this.clock = clock;
    this.engine = engine;
    this.config = config;
    this.moved = moved;
  }

  @Transactional
  public ClockView now() {
    requireTestMode();
    return new ClockView(clock.now(caller.tenantId()));
  }

  @Transactional
  public Advanced advance(AdvanceRequest r) {
    requireTestMode();
    if (r == null) {
      throw ApiProblem.validation("body", "is required");
    }
    Validator v = Validator.of(constraints, r);
    Duration by = Durations.parse(r.by(), "by", Duration.ofSeconds(1), v);
    v.throwIfInvalid();
    String tenantId = caller.tenantId();
    return engine.connected(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("select id from tenant where id = ? for update")) {
            ps.setString(1, tenantId);
            ps.executeQuery().close();
          }
          Instant target = clock.now(tenantId).plus(by);
          if (target.isAfter(LAST)) {
            // Timestamps past year 9999 are not RFC 3339, and PostgreSQL's end is not far beyond.
            throw ApiProblem.validation("by", "would move the clock past " + LAST);
          }
          int processed = fireDue(c, tenantId, target);
          try (PreparedStatement ps =
              c.prepareStatement("update tenant set clock_now = ? where id = ?")) {
            ps.setObject(1, target.atOffset(ZoneOffset.UTC));
            ps.setString(2, tenantId);
            ps.executeUpdate();
          }
          moved.fire(new TenantClockMoved(tenantId));
          return new Advanced(target, processed);
        });
  }

  /**
   * Fires the tenant's timers due by {@code target} across all machines, earliest first, batch
   * after batch until none is left. A batch is the earliest due timers of all machines together,
   * fired machine run by machine run in that order, so events appear in due order. A subject whose
   * timer fails is skipped for the rest of this advance (and retried by the next one), so it cannot
   * keep the loop going.
   *
   * <p>Firing a timer may set the subject's next one before later timers of the same batch (a
   * breach half an hour after its warning, ahead of a reminder due tomorrow). So the batch stops
   * before any timer due after one it has set, and a run that set such a timer among its own is
   * undone and fired again only up to it; the next batch then starts with that timer.
   */
  private int fireDue(Connection c, String tenantId, Instant target) throws SQLException {
    int processed = 0;
    List<String> failed = new ArrayList<>();
    while (true) {
      List<Due> due = due(c, tenantId, target, failed);
      if (due.isEmpty()) {
        return processed;
      }
      Instant horizon = null; // the earliest timer that firing this batch has set
      int start = 0;
      while (start < due.size()) {
        TimerMachine<?, ?> m = due.get(start).machine();
        int end = start;
        while (end < due.size()
            && due.get(end).machine() == m
            && (horizon == null || !due.get(end).at().isAfter(horizon))) {
          end++;
        }
        if (end == start) {
          break; // the next timer is due after one this batch set: find the earliest again
        }
        Run run = fireRun(c, m, due.subList(start, end), target);
        processed += run.result().fired().size();
        failed.addAll(run.result().failed());
        engine.recordTestClock(m, run.result(), target);
        if (run.cut()) {
          break;
        }
        horizon = earliest(horizon, run.next());
        start = end;
      }
    }
  }

  /**
   * What firing a run did: its result, the earliest timer of its subjects now due by the target
   * (null: none), and whether it was cut short because that timer fell among the run's own.
   */
  private record Run(TimerBatch.Result result, Instant next, boolean cut) {}

  /**
   * Fires one machine's run of due timers under a savepoint, cut short as {@link #fireDue} says.
   */
  private Run fireRun(Connection c, TimerMachine<?, ?> m, List<Due> run, Instant target)
      throws SQLException {
    execute(c, "savepoint clock_run");
    TimerBatch.Result r = engine.fireTestClock(c, m, ids(run), target);
    Instant next = earliestTimer(c, m, run, target);
    if (next == null || !next.isBefore(run.get(run.size() - 1).at())) {
      execute(c, "release savepoint clock_run");
      return new Run(r, next, false);
    }
    execute(c, "rollback to savepoint clock_run");
    execute(c, "release savepoint clock_run");
    // Firing is a function of the row and the time, so the timers up to `next` fire as they did,
    // and set nothing earlier than `next`. The first timer always fires, so the loop moves on.
    Instant until = next.isAfter(run.get(0).at()) ? next : run.get(0).at();
    List<Due> prefix = run.stream().filter(d -> !d.at().isAfter(until)).toList();
    return new Run(engine.fireTestClock(c, m, ids(prefix), target), null, true);
  }

  /** The earliest timer, due by {@code target}, that the run's subjects have now. */
  private static Instant earliestTimer(
      Connection c, TimerMachine<?, ?> m, List<Due> run, Instant target) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select min(timer_at) from "
                + m.table()
                + " where id = any(?) and test_clock and timer_at <= ?")) {
      ps.setArray(1, c.createArrayOf("text", ids(run).toArray()));
      ps.setObject(2, target.atOffset(ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
      }
    }
  }

  private static List<String> ids(List<Due> due) {
    return due.stream().map(Due::id).toList();
  }

  private static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** The earliest due timers of the tenant over every machine's table, in due order. */
  private List<Due> due(Connection c, String tenantId, Instant target, List<String> skipped)
      throws SQLException {
    List<TimerMachine<?, ?>> machines = engine.machines();
    String union =
        machines.stream()
            .map(
                m ->
                    "select "
                        + machines.indexOf(m)
                        + " as machine, id, timer_at from "
                        + m.table()
                        + " where tenant_id = ? and test_clock and timer_at <= ?"
                        + " and id <> all(?)")
            .collect(Collectors.joining(" union all "));
    List<Due> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select machine, id, timer_at from ("
                + union
                + ") due order by timer_at, id limit ?")) {
      int i = 1;
      for (int m = 0; m < machines.size(); m++) {
        ps.setString(i++, tenantId);
        ps.setObject(i++, target.atOffset(ZoneOffset.UTC));
        ps.setArray(i++, c.createArrayOf("text", skipped.toArray()));
      }
      ps.setInt(i, config.batchSize());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Due(
                  machines.get(rs.getInt(1)),
                  rs.getString(2),
                  rs.getObject(3, OffsetDateTime.class).toInstant()));
        }
      }
    }
    return out;
  }

  private void requireTestMode() {
    caller.tenantId();
    if (!caller.testMode()) {
      throw new ApiProblem(
          ProblemType.TEST_MODE_ONLY, "The test clock exists only for test-mode tenants.");
    }
  }
}
