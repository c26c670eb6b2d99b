package dev.nudge.trade.reminder;

import dev.nudge.common.auth.Caller;
import dev.nudge.common.auth.Roles;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.Validator;
import dev.nudge.common.time.TenantClock;
import dev.nudge.party.Languages;
import dev.nudge.trade.domain.Tone;
import dev.nudge.trade.reminder.ReminderViews.TemplateBody;
import dev.nudge.trade.reminder.ReminderViews.TemplateView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;

/** A tenant's reminder texts: the shipped Qute template or the tenant's override. */
@RolesAllowed(Roles.TENANT)
@Path("/v1/reminder-templates/{locale}/{tone}")
@Produces(MediaType.APPLICATION_JSON)
public class ReminderTemplateResource {

  private static final int MAX_BODY = 10_000;

  private final EntityManager em;
  private final Caller caller;
  private final TenantClock clock;
  private final ReminderTexts texts;

  public ReminderTemplateResource(
      EntityManager em, Caller caller, TenantClock clock, ReminderTexts texts) {
    this.em = em;
    this.caller = caller;
    this.clock = clock;
    this.texts = texts;
  }

  @GET
  @Transactional
  public TemplateView get(@PathParam("locale") String locale, @PathParam("tone") String tone) {
    Tone t = key(locale, tone);
    String tenantId = caller.tenantId();
    Object[] row =
        (Object[])
            em.createNativeQuery(
                    "select body, updated_at from reminder_template"
                        + " where tenant_id = ?1 and locale = ?2 and tone = ?3",
                    Object[].class)
                .setParameter(1, tenantId)
                .setParameter(2, locale)
                .setParameter(3, t.wire())
                .getResultStream()
                .findFirst()
                .orElse(null);
    if (row == null) {
      return new TemplateView(locale, t.wire(), texts.shipped(locale, t), "default", null);
    }
    return new TemplateView(locale, t.wire(), (String) row[0], "tenant", instant(row[1]));
  }

  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @Transactional
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
    em.createNativeQuery(
            "insert into reminder_template (tenant_id, locale, tone, body, updated_at)"
                + " values (?1, ?2, ?3, ?4, ?5) on conflict (tenant_id, locale, tone)"
                + " do update set body = excluded.body, updated_at = excluded.updated_at")
        .setParameter(1, tenantId)
        .setParameter(2, locale)
        .setParameter(3, t.wire())
        .setParameter(4, request.body())
        .setParameter(5, now)
        .executeUpdate();
    return new TemplateView(locale, t.wire(), request.body(), "tenant", now);
  }

  private Tone key(String locale, String tone) {
    Tone t = Tone.parse(tone).orElse(null);
    if (!Languages.SUPPORTED.contains(locale) || t == null) {
      throw ApiProblem.notFound("Reminder template", locale + "/" + tone);
    }
    return t;
  }

  private static Instant instant(Object value) {
    if (value instanceof Instant i) {
      return i;
    }
    if (value instanceof java.time.OffsetDateTime o) {
      return o.toInstant();
    }
    return ((java.sql.Timestamp) value).toInstant();
  }
}
