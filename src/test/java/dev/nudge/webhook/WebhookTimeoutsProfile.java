package dev.nudge.webhook;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Webhooks with a 2 s request timeout (so tests of hanging receivers take seconds), the production
 * retry schedule (driven by a test-mode tenant's clock), and a poll that never comes within a test:
 * whatever these tests see delivered was woken by a signal, not found by polling.
 */
public class WebhookTimeoutsProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "nudge.webhooks.timeout", "2s",
        "nudge.webhooks.retry-schedule", "5s,5m,30m,2h,5h,10h,10h",
        "nudge.webhooks.poll-interval", "1h");
  }
}
