package dev.nudge.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** {@code nudge.webhooks.*} (SPEC §7). */
@ConfigMapping(prefix = "nudge.webhooks")
public interface WebhookConfig {

  /** Delays between attempts; after the last one the delivery is failed. */
  @WithDefault("5s,5m,30m,2h,5h,10h,10h")
  List<Duration> retrySchedule();

  @WithDefault("15s")
  Duration timeout();

  @WithDefault("false")
  boolean allowPrivateTargets();

  /** How often each replica fans out new events and claims due deliveries. */
  @WithDefault("1s")
  Duration pollInterval();

  @WithDefault("200")
  int batchSize();

  /** Requests in flight per endpoint on one replica, so a slow endpoint holds only its share. */
  @WithDefault("4")
  int maxInFlightPerEndpoint();

  @WithDefault("256")
  int maxInFlight();

  /** Continuous failure for this long disables an endpoint. */
  @WithDefault("P5D")
  Duration disableAfter();

  /** How long the previous secret keeps signing after a rotation. */
  @WithDefault("PT24H")
  Duration secretOverlap();

  /** Largest Retry-After honoured; longer values are capped. */
  @WithDefault("P1D")
  Duration maxRetryAfter();
}
