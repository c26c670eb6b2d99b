package dev.nudge.webhook;

import java.time.Instant;
import java.util.List;

/** A row of {@code webhook_endpoint}. */
public class WebhookEndpoint {

  public String id;
  public String tenantId;
  public String url;
  public String description;
  public List<String> eventTypes;
  public String partyId;
  public String secret;
  public String previousSecret;
  public Instant previousSecretExpiresAt;
  public String status;
  public String disabledReason;
  public Instant failingSince;
  public Instant createdAt;
  public Instant updatedAt;
  public int version;

  WebhookViews.EndpointView view(Instant now) {
    Instant overlap =
        previousSecretExpiresAt != null && previousSecretExpiresAt.isAfter(now)
            ? previousSecretExpiresAt
            : null;
    return new WebhookViews.EndpointView(
        id,
        url,
        description,
        eventTypes,
        partyId,
        status,
        disabledReason,
        failingSince,
        overlap,
        createdAt,
        updatedAt,
        version);
  }
}
