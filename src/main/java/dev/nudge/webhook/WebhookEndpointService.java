package dev.nudge.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nudge.common.http.ETags;
import dev.nudge.common.ids.Ids;
import dev.nudge.common.paging.Cursor;
import dev.nudge.common.paging.Page;
import dev.nudge.common.paging.PageRequest;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.Validator;
import dev.nudge.common.time.TenantClock;
import dev.nudge.webhook.WebhookViews.AttemptView;
import dev.nudge.webhook.WebhookViews.CreateEndpoint;
import dev.nudge.webhook.WebhookViews.EndpointView;
import dev.nudge.webhook.WebhookViews.EndpointWithSecret;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Managing a tenant's webhook endpoints, and asking for deliveries again. Every time it stores or
 * shows is on the tenant's clock (a test-mode tenant's test clock).
 */
@ApplicationScoped
public class WebhookEndpointService {

  /**
   * Fired (as a CDI event, inside the transaction) when an endpoint was created or changed, so the
   * dispatcher wakes for its tenant's events and sends with its new URL and secrets or stops;
   * {@code queued} when deliveries became due (a replay, a redelivery, re-enabling). {@code
   * endpointId} is null when several endpoints are concerned.
   */
  public record Changed(String endpointId, boolean queued) {}

  private static final Set<String> PATCHABLE =
      Set.of("url", "eventTypes", "partyId", "description", "status");

  private final WebhookEndpointRepository endpoints;
  private final TenantClock clock;
  private final WebhookTargets targets;
  private final WebhookConfig config;
  private final Event<Changed> changed;

  public WebhookEndpointService(
      WebhookEndpointRepository endpoints,
      TenantClock clock,
      WebhookTargets targets,
      WebhookConfig config,
      Event<Changed> changed) {
    this.endpoints = endpoints;
    this.clock = clock;
    this.targets = targets;
    this.config = config;
    this.changed = changed;
  }

  @Transactional
  public EndpointWithSecret create(String tenantId, CreateEndpoint request) {
    if (request == null) {
      throw ApiProblem.validation("body", "is required");
    }
    Validator v = new Validator();
    targets.checkUrl(request.url(), "url", v);
    checkEventTypes(request.eventTypes(), v);
    checkParty(tenantId, request.partyId(), v);
    v.maxLength(request.description(), 500, "description").throwIfInvalid();
    Instant now = clock.now(tenantId);
    WebhookEndpoint e = new WebhookEndpoint();
    e.id = Ids.generate("we");
    e.tenantId = tenantId;
    e.url = request.url().trim();
    e.description = request.description();
    e.eventTypes = List.copyOf(request.eventTypes());
    e.partyId = request.partyId();
    e.secret = WebhookSigner.newSecret();
    e.status = "enabled";
    e.createdAt = now;
    e.updatedAt = now;
    e.version = 1;
    endpoints.insert(e);
    // The dispatcher learns that this tenant now has an endpoint, so its next commit wakes it.
    changed.fire(new Changed(e.id, false));
    return new EndpointWithSecret(e.view(now), e.secret);
  }

  @Transactional
  public Page<EndpointView> list(String tenantId, PageRequest page) {
    Instant now = clock.now(tenantId);
    return Page.of(
        endpoints.page(tenantId, page.after(), page.limit()),
        page.limit(),
        e -> e.view(now),
        e -> e.id);
  }

  @Transactional
  public EndpointView get(String tenantId, String id) {
    return find(tenantId, id, false).view(clock.now(tenantId));
  }

  @Transactional
  public EndpointView update(String tenantId, String id, JsonNode body, String ifMatch) {
    if (body == null || !body.isObject()) {
      throw ApiProblem.validation("body", "must be a JSON object");
    }
    WebhookEndpoint e = find(tenantId, id, true);
    ETags.check(ifMatch, e.version);
    Validator v = new Validator();
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      v.check(PATCHABLE.contains(field), field, "is not a known field");
    }
    v.throwIfInvalid();
    ObjectNode o = (ObjectNode) body;
    if (o.has("url")) {
      String url = o.get("url").isTextual() ? o.get("url").asText() : null;
      targets.checkUrl(url, "url", v);
      e.url = url == null ? e.url : url.trim();
    }
    if (o.has("eventTypes")) {
      List<String> types = textList(o.get("eventTypes"));
      checkEventTypes(types, v);
      e.eventTypes = types == null ? e.eventTypes : types;
    }
    if (o.has("partyId")) {
      JsonNode p = o.get("partyId");
      v.check(p.isNull() || p.isTextual(), "partyId", "must be a string or null");
      e.partyId = p.isTextual() ? p.asText() : null;
      checkParty(tenantId, e.partyId, v);
    }
    if (o.has("description")) {
      JsonNode d = o.get("description");
      v.check(d.isNull() || d.isTextual(), "description", "must be a string or null");
      e.description = d.isTextual() ? d.asText() : null;
      v.maxLength(e.description, 500, "description");
    }
    boolean reenabled = false;
    if (o.has("status")) {
      String status = o.get("status").isTextual() ? o.get("status").asText() : "";
      v.check(
          status.equals("enabled") || status.equals("disabled"),
          "status",
          "must be 'enabled' or 'disabled'");
      if (status.equals("enabled") && !e.status.equals("enabled")) {
        reenabled = true;
        e.status = "enabled";
        e.disabledReason = null;
        e.failingSince = null;
      } else if (status.equals("disabled") && !e.status.equals("disabled")) {
        e.status = "disabled";
        e.disabledReason = "manual";
      }
    }
    v.throwIfInvalid();
    Instant now = clock.now(tenantId);
    e.updatedAt = now;
    endpoints.update(e);
    changed.fire(new Changed(e.id, reenabled));
    return e.view(now);
  }

  @Transactional
  public void delete(String tenantId, String id) {
    WebhookEndpoint e = find(tenantId, id, true);
    e.status = "deleted";
    e.updatedAt = clock.now(tenantId);
    endpoints.update(e);
    changed.fire(new Changed(e.id, false));
  }

  @Transactional
  public EndpointWithSecret rotateSecret(String tenantId, String id) {
    WebhookEndpoint e = find(tenantId, id, true);
    Instant now = clock.now(tenantId);
    // The overlap runs on the tenant's clock, like every time of the endpoint and its deliveries.
    e.previousSecret = e.secret;
    e.previousSecretExpiresAt = now.plus(config.secretOverlap());
    e.secret = WebhookSigner.newSecret();
    e.updatedAt = now;
    endpoints.update(e);
    changed.fire(new Changed(e.id, false));
    return new EndpointWithSecret(e.view(now), e.secret);
  }

  @Transactional
  public Page<AttemptView> attempts(String tenantId, String id, PageRequest page) {
    WebhookEndpoint e = find(tenantId, id, false);
    Long before = null;
    if (page.after() != null) {
      try {
        before = Long.parseLong(page.after());
      } catch (NumberFormatException ex) {
        throw ApiProblem.validation("cursor", "is not a cursor this API issued");
      }
    }
    List<WebhookEndpointRepository.AttemptRow> rows =
        endpoints.attempts(e.id, before, page.limit());
    boolean more = rows.size() > page.limit();
    List<AttemptView> data = new ArrayList<>();
    for (WebhookEndpointRepository.AttemptRow r : more ? rows.subList(0, page.limit()) : rows) {
      data.add(
          new AttemptView(
              "wa_" + r.id(),
              r.eventId(),
              r.eventType(),
              r.attempt(),
              r.status(),
              r.httpStatus(),
              r.durationMs(),
              r.response(),
              r.error(),
              r.attemptedAt(),
              r.nextAttemptAt()));
    }
    String next = more ? Cursor.encode(Long.toString(rows.get(page.limit() - 1).id())) : null;
    return new Page<>(data, next);
  }

  @Transactional
  public WebhookViews.Enqueued replay(String tenantId, String id, WebhookViews.ReplayRequest req) {
    new Validator().required(req == null ? null : req.since(), "since").throwIfInvalid();
    WebhookEndpoint e = find(tenantId, id, false);
    if (!e.status.equals("enabled")) {
      throw ApiProblem.validation("endpoint", "is disabled; enable it before replaying");
    }
    int enqueued = endpoints.enqueueReplay(e, req.since(), clock.now(tenantId));
    changed.fire(new Changed(e.id, true));
    return new WebhookViews.Enqueued(enqueued);
  }

  @Transactional
  public WebhookViews.Enqueued redeliver(String tenantId, String eventId) {
    if (!endpoints.eventExists(tenantId, eventId)) {
      throw ApiProblem.notFound("Event", eventId);
    }
    int enqueued = endpoints.enqueueRedelivery(tenantId, eventId, clock.now(tenantId));
    changed.fire(new Changed(null, true));
    return new WebhookViews.Enqueued(enqueued);
  }

  private WebhookEndpoint find(String tenantId, String id, boolean lock) {
    return (lock ? endpoints.findForUpdate(tenantId, id) : endpoints.find(tenantId, id))
        .orElseThrow(() -> ApiProblem.notFound("Webhook endpoint", id));
  }

  private static List<String> textList(JsonNode node) {
    if (node == null || !node.isArray()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (JsonNode n : node) {
      if (!n.isTextual()) {
        return null;
      }
      out.add(n.asText());
    }
    return out;
  }

  private static void checkEventTypes(List<String> types, Validator v) {
    if (types == null || types.isEmpty()) {
      v.add("eventTypes", "must be a non-empty list of event types");
      return;
    }
    v.check(types.size() <= 50, "eventTypes", "must have at most 50 entries");
    for (int i = 0; i < types.size(); i++) {
      String t = types.get(i);
      v.check(
          dev.nudge.event.EventTypes.isSubscribable(t),
          "eventTypes[" + i + "]",
          "'" + t + "' is not an event type, 'family.*' or '*'");
    }
  }

  /** A party of this tenant, or none (the endpoint then gets every party's events). */
  private void checkParty(String tenantId, String partyId, Validator v) {
    if (partyId == null) {
      return;
    }
    if (partyId.isBlank() || partyId.length() > 100) {
      v.add("partyId", "must be a party id");
    } else if (!endpoints.partyExists(tenantId, partyId)) {
      v.add("partyId", "is not a party of this tenant");
    }
  }
}
