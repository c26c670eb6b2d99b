package dev.nudge.trade.reminder;

import dev.nudge.common.auth.Caller;
import dev.nudge.common.auth.Roles;
import dev.nudge.common.db.Jdbc;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.Validator;
import dev.nudge.common.time.TenantClock;
import dev.nudge.party.Languages;
import dev.nudge.trade.domain.Tone;
import dev.nudge.trade.reminder.ReminderViews.TemplateBody;
import dev.nudge.trade.reminder.ReminderViews.TemplateView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** A tenant's reminder texts: the shipped Qute template or the tenant's override. */
@RolesAllowed(Roles.TENANT)
@Path("/v1/reminder-templates/{locale}/{tone}")
@Produces(MediaType.APPLICATION_JSON)
public class ReminderTemplateResource {

  private static final int MAX_BODY = 10_000;

  private final Jdbc jdbc;
  private final Caller caller;
  private final TenantClock clock;
  private final ReminderTexts texts;

  public ReminderTemplateResource(
      Jdbc jdbc, Caller caller, TenantClock clock, ReminderTexts texts) {
    this.jdbc = jdbc;
    this.caller = caller;
    this.clock = clock;
    this.texts = texts;
  }

  @GET
  public TemplateView get(@PathParam("locale") String locale, @PathParam("tone") String tone) {
    Tone t = key(locale, tone);
    String tenantId = caller.tenantId();
    TemplateView stored =
        jdbc.call(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "select body, updated_at from reminder_template"
                          + " where tenant_id = ? and locale = ? and tone = ?")) {
                ps.setString(1, tenantId);
                ps.setString(2, locale);
                ps.setString(3, t.wire());
                try (ResultSet rs = ps.executeQuery()) {
                  return rs.next()
                      ? new TemplateView(
                          locale,
                          t.wire(),
                          rs.getString(1),
                          "tenant",
                          rs.getObject(2, OffsetDateTime.class).toInstant())
                      : null;
                }
              }
            });
    return stored != null
        ? stored
        : new TemplateView(locale, t.wire(), texts.shipped(locale, t), "default", null);
  }

  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  public TemplateView put(
      @PathParam("locale") String locale, @PathParam("tone") String tone, TemplateBody request) {
    Tone t = key(locale, tone);
    if (request == null) {
      throw ApiProblem.validation("body", "is required");
    }
    Validator v = new Validator().required(request.body(), "body");
    v.maxLength(request.body(), MAX_BODY, "body");
    v.throwIfInvalid();
    String problem = texts.check(request.body());
    if (problem != null) {
      throw ApiProblem.validation("body", problem);
    }
    String tenantId = caller.tenantId();
    Instant now = clock.now(tenantId);
    jdbc.transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "insert into reminder_template (tenant_id, locale, tone, body, updated_at)"
                      + " values (?, ?, ?, ?, ?) on conflict (tenant_id, locale, tone)"
                      + " do update set body = excluded.body, updated_at = excluded.updated_at")) {
            ps.setString(1, tenantId);
            ps.setString(2, locale);
            ps.setString(3, t.wire());
            ps.setString(4, request.body());
            ps.setObject(5, now.atOffset(ZoneOffset.UTC));
            return ps.executeUpdate();
          }
        });
    return new TemplateView(locale, t.wire(), request.body(), "tenant", now);
  }

  private Tone key(String locale, String tone) {
    Tone t = Tone.parse(tone).orElse(null);
    if (!Languages.SUPPORTED.contains(locale) || t == null) {
      throw ApiProblem.notFound("Reminder template", locale + "/" + tone);
    }
    return t;
  }
}
