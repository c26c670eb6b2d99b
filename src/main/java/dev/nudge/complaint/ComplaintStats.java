package dev.nudge.complaint;

import dev.nudge.common.auth.Caller;
import dev.nudge.common.db.Jdbc;
import dev.nudge.common.problem.Validator;
import dev.nudge.common.time.TenantClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code GET /v1/complaints/stats}: the cases opened in a window, counted and timed by SQL
 * aggregates over one index ({@code complaint_stats}), never by loading cases.
 */
@ApplicationScoped
public class ComplaintStats {

  public record FirstResponse(Double medianSeconds, Double p90Seconds, Double withinTargetRate) {}

  public record Recurring(String category, long count) {}

  public record Stats(
      Instant from,
      Instant to,
      long total,
      Map<String, Long> byCategory,
      Map<String, Long> bySeverity,
      Map<String, Long> byState,
      FirstResponse firstResponse,
      long breached,
      List<Recurring> recurring) {}

  static final Duration DEFAULT_WINDOW = Duration.ofDays(30);

  private final Jdbc jdbc;
  private final Caller caller;
  private final TenantClock clock;
  private final int recurringThreshold;

  public ComplaintStats(
      Jdbc jdbc,
      Caller caller,
      TenantClock clock,
      @ConfigProperty(name = "nudge.complaints.recurring-threshold", defaultValue = "3")
          int recurringThreshold) {
    this.jdbc = jdbc;
    this.caller = caller;
    this.clock = clock;
    this.recurringThreshold = recurringThreshold;
  }

  @Transactional
  public Stats stats(String fromParam, String toParam) {
    String tenantId = caller.tenantId();
    Instant now = clock.now(tenantId);
    Validator v = new Validator();
    Instant to = time(toParam, "to", v);
    Instant from = time(fromParam, "from", v);
    v.throwIfInvalid();
    Instant end = to != null ? to : now;
    Instant start = from != null ? from : end.minus(DEFAULT_WINDOW);
    v.check(start.isBefore(end), "from", "must be before to");
    v.throwIfInvalid();
    // A given `to` is exclusive; the default one is now, and a case opened now counts (a test
    // clock stands still, so a case opened just before asking has exactly this time).
    Instant until = to != null ? to : now.plusNanos(1_000);
    return jdbc.call(
        c -> {
          Map<String, Long> byCategory = new LinkedHashMap<>();
          Map<String, Long> bySeverity = new LinkedHashMap<>();
          Map<String, Long> byState = new LinkedHashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select category, severity, state, count(*) from complaint"
                      + " where tenant_id = ? and opened_at >= ? and opened_at < ?"
                      + " group by grouping sets ((category), (severity), (state))"
                      + " order by count(*) desc, 1, 2, 3")) {
            bind(ps, tenantId, start, until);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                long n = rs.getLong(4);
                if (rs.getString(1) != null) {
                  byCategory.put(rs.getString(1), n);
                } else if (rs.getString(2) != null) {
                  bySeverity.put(rs.getString(2), n);
                } else {
                  byState.put(rs.getString(3), n);
                }
              }
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select count(*), count(*) filter (where breached),"
                      + " percentile_cont(0.5) within group (order by"
                      + "   extract(epoch from first_responded_at - opened_at)),"
                      + " percentile_cont(0.9) within group (order by"
                      + "   extract(epoch from first_responded_at - opened_at)),"
                      + " avg(case when first_responded_at is not null"
                      + "   and first_responded_at <= first_response_target_at then 1.0 else 0.0 end)"
                      + "   filter (where first_responded_at is not null"
                      + "   or first_response_target_at <= ?)"
                      + " from complaint where tenant_id = ? and opened_at >= ? and opened_at < ?")) {
            ps.setObject(1, now.atOffset(ZoneOffset.UTC));
            ps.setString(2, tenantId);
            ps.setObject(3, start.atOffset(ZoneOffset.UTC));
            ps.setObject(4, until.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              List<Recurring> recurring = new ArrayList<>();
              byCategory.forEach(
                  (category, n) -> {
                    if (n >= recurringThreshold) {
                      recurring.add(new Recurring(category, n));
                    }
                  });
              return new Stats(
                  start,
                  end,
                  rs.getLong(1),
                  byCategory,
                  bySeverity,
                  byState,
                  new FirstResponse(number(rs, 3), number(rs, 4), number(rs, 5)),
                  rs.getLong(2),
                  recurring);
            }
          }
        });
  }

  private static Double number(ResultSet rs, int column) throws java.sql.SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : Math.round(v * 1000) / 1000.0;
  }

  private static void bind(PreparedStatement ps, String tenantId, Instant from, Instant to)
      throws java.sql.SQLException {
    ps.setString(1, tenantId);
    ps.setObject(2, from.atOffset(ZoneOffset.UTC));
    ps.setObject(3, to.atOffset(ZoneOffset.UTC));
  }

  private static Instant time(String value, String field, Validator v) {
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      v.add(field, "must be an RFC 3339 time such as 2026-11-01T00:00:00Z");
      return null;
    }
  }
}
