package dev.nudge.webhook;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * A replica that holds at most 40 deliveries (10 requests in flight, four times that leased), whose
 * fan-out waits for room as long as a test lasts, so a test sees what it writes while the replica
 * is full, and whose poll never comes within a test: what moves was woken by the room coming back.
 */
public class WebhookHoldProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "nudge.webhooks.max-in-flight", "10",
        "nudge.webhooks.max-held", "40",
        "nudge.webhooks.fan-out-wait", "1h",
        "nudge.webhooks.poll-interval", "1h");
  }
}
