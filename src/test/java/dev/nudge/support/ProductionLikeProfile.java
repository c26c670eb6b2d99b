package dev.nudge.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The settings an operator runs with, where they differ from the test profile: webhooks refuse
 * private targets, the management endpoints ({@code /q/metrics}, {@code /q/health}) are on a port
 * of their own, and the HTTP access log is on. One profile for all such tests, so Quarkus restarts
 * once for them.
 */
public class ProductionLikeProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "nudge.webhooks.allow-private-targets", "false",
        "quarkus.management.enabled", "true",
        "quarkus.management.test-port", "0",
        "quarkus.http.access-log.enabled", "true");
  }
}
