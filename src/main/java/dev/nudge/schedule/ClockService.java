package dev.nudge.schedule;

import dev.nudge.common.auth.Caller;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.ProblemType;
import dev.nudge.common.problem.Validator;
import dev.nudge.common.time.Durations;
import dev.nudge.common.time.TenantClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotBlank;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
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
  private record Due(TimerMachine<?, ?> machine, String id) {}

  private final jakarta.validation.Validator constraints;
  private final Caller caller;
  private final TenantClock clock;
  private final TimerEngine engine;
  private final SchedulerConfig config;

  public ClockService(
      jakarta.validation.Validator constraints,
      Caller caller,
      TenantClock clock,
      TimerEngine engine,
      SchedulerConfig config) {
    this.constraints = constraints;
    this.caller = caller;
    this.clock = clock;
    this.engine = engine;
    this.config = config;
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
          return new Advanced(target, processed);
        });
  }

  /**
   * Fires the tenant's timers due by {@code target} across all machines, earliest first, batch
   * after batch until none is left. A batch is the earliest due timers of all machines together,
   * fired machine run by machine run in that order, so events appear in due order. A subject whose
   * timer fails is skipped for the rest of this advance (and retried by the next one), so it cannot
   * keep the loop going.
   */
  private int fireDue(Connection c, String tenantId, Instant target) throws SQLException {
    int processed = 0;
    List<String> failed = new ArrayList<>();
    while (true) {
      List<Due> due = due(c, tenantId, target, failed);
      if (due.isEmpty()) {
        return processed;
      }
      int start = 0;
      while (start < due.size()) {
        TimerMachine<?, ?> m = due.get(start).machine();
        int end = start;
        while (end < due.size() && due.get(end).machine() == m) {
          end++;
        }
        List<String> ids = due.subList(start, end).stream().map(Due::id).toList();
        TimerBatch.Result r = engine.fireTestClock(c, m, ids, target);
        processed += r.fired().size();
        failed.addAll(r.failed());
        start = end;
      }
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
            "select machine, id from (" + union + ") due order by timer_at, id limit ?")) {
      int i = 1;
      for (int m = 0; m < machines.size(); m++) {
        ps.setString(i++, tenantId);
        ps.setObject(i++, target.atOffset(ZoneOffset.UTC));
        ps.setArray(i++, c.createArrayOf("text", skipped.toArray()));
      }
      ps.setInt(i, config.batchSize());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Due(machines.get(rs.getInt(1)), rs.getString(2)));
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
