package dev.nudge.complaint;

import dev.nudge.common.auth.Caller;
import dev.nudge.common.db.Jdbc;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.Validator;
import dev.nudge.common.time.Durations;
import dev.nudge.common.time.TenantClock;
import dev.nudge.complaint.domain.Severity;
import dev.nudge.complaint.domain.SlaTerms;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The SLA policy per severity (SPEC §2): the tenant's own, or the defaults. A case takes the terms
 * in force when it opens, so a later change moves no open case.
 */
@ApplicationScoped
public class SlaPolicyService {

  /** {@code PUT /v1/sla-policies/{severity}}; the next-reply pair defaults to the first pair. */
  public record SlaPolicyRequest(
      String firstResponseTarget,
      String firstResponseDeadline,
      String nextReplyTarget,
      String nextReplyDeadline,
      String followUpAfter) {}

  /** A severity's policy; {@code source} says whether it is the tenant's or the default. */
  public record SlaPolicyView(
      String severity,
      String firstResponseTarget,
      String firstResponseDeadline,
      String nextReplyTarget,
      String nextReplyDeadline,
      String followUpAfter,
      String source,
      Instant updatedAt) {}

  private final Jdbc jdbc;
  private final Caller caller;
  private final TenantClock clock;

  public SlaPolicyService(Jdbc jdbc, Caller caller, TenantClock clock) {
    this.jdbc = jdbc;
    this.caller = caller;
    this.clock = clock;
  }

  @Transactional
  public List<SlaPolicyView> list() {
    String tenantId = caller.tenantId();
    List<SlaPolicyView> out = new ArrayList<>();
    for (Severity s : Severity.values()) {
      out.add(jdbc.call(c -> view(c, tenantId, s)));
    }
    return out;
  }

  @Transactional
  public SlaPolicyView get(String severity) {
    String tenantId = caller.tenantId();
    Severity s = severity(severity);
    return jdbc.call(c -> view(c, tenantId, s));
  }

  @Transactional
  public SlaPolicyView put(String severity, SlaPolicyRequest r) {
    String tenantId = caller.tenantId();
    Severity s = severity(severity);
    if (r == null) {
      throw ApiProblem.validation("body", "is required");
    }
    Validator v =
        new Validator()
            .required(r.firstResponseTarget(), "firstResponseTarget")
            .required(r.firstResponseDeadline(), "firstResponseDeadline");
    Duration min = Duration.ofSeconds(1);
    Duration frt = Durations.parse(r.firstResponseTarget(), "firstResponseTarget", min, v);
    Duration frd = Durations.parse(r.firstResponseDeadline(), "firstResponseDeadline", min, v);
    Duration nrt = Durations.parse(r.nextReplyTarget(), "nextReplyTarget", min, v);
    Duration nrd = Durations.parse(r.nextReplyDeadline(), "nextReplyDeadline", min, v);
    Duration fu = Durations.parse(r.followUpAfter(), "followUpAfter", min, v);
    v.throwIfInvalid();
    SlaTerms t =
        new SlaTerms(
            frt,
            frd,
            nrt != null ? nrt : frt,
            nrd != null ? nrd : frd,
            fu != null ? fu : SlaTerms.defaults(s).followUpAfter());
    t.problems().forEach(p -> v.add(p.field(), p.message()));
    v.throwIfInvalid();
    Instant now = clock.now(tenantId);
    return jdbc.call(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "insert into sla_policy (tenant_id, severity, first_response_target,"
                      + " first_response_deadline, next_reply_target, next_reply_deadline,"
                      + " follow_up_after, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)"
                      + " on conflict (tenant_id, severity) do update set"
                      + " first_response_target = excluded.first_response_target,"
                      + " first_response_deadline = excluded.first_response_deadline,"
                      + " next_reply_target = excluded.next_reply_target,"
                      + " next_reply_deadline = excluded.next_reply_deadline,"
                      + " follow_up_after = excluded.follow_up_after,"
                      + " updated_at = excluded.updated_at,"
                      + " version = sla_policy.version + 1")) {
            ps.setString(1, tenantId);
            ps.setString(2, s.wire());
            ps.setString(3, Durations.format(t.firstResponseTarget()));
            ps.setString(4, Durations.format(t.firstResponseDeadline()));
            ps.setString(5, Durations.format(t.nextReplyTarget()));
            ps.setString(6, Durations.format(t.nextReplyDeadline()));
            ps.setString(7, Durations.format(t.followUpAfter()));
            ps.setObject(8, now.atOffset(ZoneOffset.UTC));
            ps.executeUpdate();
          }
          return view(c, tenantId, s);
        });
  }

  /** The terms a case of {@code severity} opening now runs by. */
  public SlaTerms terms(Connection c, String tenantId, Severity severity) throws SQLException {
    Stored stored = stored(c, tenantId, severity);
    return stored == null ? SlaTerms.defaults(severity) : stored.terms();
  }

  private record Stored(SlaTerms terms, Instant updatedAt) {}

  private Stored stored(Connection c, String tenantId, Severity s) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select first_response_target, first_response_deadline, next_reply_target,"
                + " next_reply_deadline, follow_up_after, updated_at from sla_policy"
                + " where tenant_id = ? and severity = ?")) {
      ps.setString(1, tenantId);
      ps.setString(2, s.wire());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new Stored(
            new SlaTerms(
                Duration.parse(rs.getString(1)),
                Duration.parse(rs.getString(2)),
                Duration.parse(rs.getString(3)),
                Duration.parse(rs.getString(4)),
                Duration.parse(rs.getString(5))),
            rs.getObject(6, OffsetDateTime.class).toInstant());
      }
    }
  }

  private SlaPolicyView view(Connection c, String tenantId, Severity s) throws SQLException {
    Stored stored = stored(c, tenantId, s);
    SlaTerms t = stored == null ? SlaTerms.defaults(s) : stored.terms();
    return new SlaPolicyView(
        s.wire(),
        Durations.format(t.firstResponseTarget()),
        Durations.format(t.firstResponseDeadline()),
        Durations.format(t.nextReplyTarget()),
        Durations.format(t.nextReplyDeadline()),
        Durations.format(t.followUpAfter()),
        stored == null ? "default" : "tenant",
        stored == null ? null : stored.updatedAt());
  }

  private static Severity severity(String severity) {
    return Severity.parse(severity).orElseThrow(() -> ApiProblem.notFound("SLA policy", severity));
  }
}
