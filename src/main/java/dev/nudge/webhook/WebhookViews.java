package dev.nudge.webhook;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.List;

/** Request and response bodies of the webhook API. */
public final class WebhookViews {

  private WebhookViews() {}

  public record CreateEndpoint(
      String url, List<String> eventTypes, String partyId, String description) {}

  public record EndpointView(
      String id,
      String url,
      String description,
      List<String> eventTypes,
      String partyId,
      String status,
      String disabledReason,
      Instant failingSince,
      Instant previousSecretExpiresAt,
      Instant createdAt,
      Instant updatedAt,
      int version) {}

  /** The endpoint with its signing secret; only the create and rotate answers carry it. */
  public record EndpointWithSecret(@JsonUnwrapped EndpointView endpoint, String secret) {}

  public record AttemptView(
      String id,
      String eventId,
      String eventType,
      int attempt,
      String status,
      Integer httpStatus,
      int durationMs,
      String response,
      String error,
      Instant attemptedAt,
      Instant nextAttemptAt) {}

  public record ReplayRequest(Instant since) {}

  public record Enqueued(int enqueued) {}
}
