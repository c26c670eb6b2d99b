package dev.nudge.schedule;

import dev.nudge.common.auth.Caller;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.ProblemType;
import dev.nudge.common.problem.Validator;
import dev.nudge.common.time.Durations;
import dev.nudge.common.time.TenantClock;
import dev.nudge.trade.Trade;
import dev.nudge.trade.TradeRows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;

/**
 * The test clock of SPEC §6. Advancing locks the tenant row (so two advances run one after the
 * other), fires the tenant's due timers in due order until none is due by the new time (timers that
 * firing creates included), and only then moves the clock, all in one transaction.
 */
@ApplicationScoped
public class ClockService {

  private static final String DUE =
      "select "
          + TradeRows.COLUMNS
          + " from trade where tenant_id = ? and test_clock and timer_at <= ?"
          + " and id <> all(?) order by timer_at, id limit ? for update";

  /** The latest instant the test clock may show. */
  static final Instant LAST = Instant.parse("9999-12-31T23:59:59Z");

  public record ClockView(Instant now) {}

  public record Advanced(Instant now, int processed) {}

  public record AdvanceRequest(String by) {}

  private final EntityManager em;
  private final Caller caller;
  private final TenantClock clock;
  private final TradeTimerFiring firing;
  private final TradeRows rows;
  private final int batchSize;

  public ClockService(
      EntityManager em,
      Caller caller,
      TenantClock clock,
      TradeTimerFiring firing,
      TradeRows rows,
      @ConfigProperty(name = "nudge.scheduler.batch-size", defaultValue = "500") int batchSize) {
    this.em = em;
    this.caller = caller;
    this.clock = clock;
    this.firing = firing;
    this.rows = rows;
    this.batchSize = batchSize;
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
    Validator v = new Validator().required(r.by(), "by");
    Duration by = Durations.parse(r.by(), "by", Duration.ofSeconds(1), v);
    v.throwIfInvalid();
    String tenantId = caller.tenantId();
    em.createNativeQuery("select id from tenant where id = ?1 for update")
        .setParameter(1, tenantId)
        .getSingleResult();
    Instant target = clock.now(tenantId).plus(by);
    if (target.isAfter(LAST)) {
      // Timestamps past year 9999 are not RFC 3339, and PostgreSQL's end is not far beyond.
      throw ApiProblem.validation("by", "would move the clock past " + LAST);
    }
    int processed = em.unwrap(Session.class).doReturningWork(c -> fireDue(c, tenantId, target));
    em.createNativeQuery("update tenant set clock_now = ?1 where id = ?2")
        .setParameter(1, target)
        .setParameter(2, tenantId)
        .executeUpdate();
    return new Advanced(target, processed);
  }

  /**
   * Fires the tenant's timers due by {@code target}, earliest first, batch after batch until none
   * is left. A trade whose timer fails is skipped for the rest of this advance (and retried by the
   * next one), so it cannot keep the loop going.
   */
  private int fireDue(Connection c, String tenantId, Instant target) throws SQLException {
    int processed = 0;
    List<String> failed = new ArrayList<>();
    while (true) {
      List<Trade> due;
      try (PreparedStatement ps = c.prepareStatement(DUE)) {
        ps.setString(1, tenantId);
        ps.setObject(2, target.atOffset(ZoneOffset.UTC));
        ps.setArray(3, c.createArrayOf("text", failed.toArray()));
        ps.setInt(4, batchSize);
        due = rows.query(ps);
      }
      if (due.isEmpty()) {
        return processed;
      }
      TradeTimerFiring.Result r = firing.fire(c, due, target, false);
      processed += r.fired();
      failed.addAll(r.failed());
    }
  }

  private void requireTestMode() {
    caller.tenantId();
    if (!caller.testMode()) {
      throw new ApiProblem(
          ProblemType.TEST_MODE_ONLY, "The test clock exists only for test-mode tenants.");
    }
  }
}
