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

  /**
   * How often each replica looks for work it was not told about: events committed by other
   * replicas, retries falling due, deliveries whose replica died. New events of this replica and
   * its own retries are picked up at once.
   */
  @WithDefault("1s")
  Duration pollInterval();

  /**
   * Events read per fan-out statement and deliveries claimed per endpoint and statement; also how
   * many claimed deliveries one endpoint may have waiting behind its in-flight limit.
   */
  @WithDefault("200")
  int batchSize();

  /**
   * Requests in flight per endpoint on one replica, so a slow endpoint holds only its share. One
   * endpoint's rate is at most this many divided by its response time (16 at 20 ms: 800/s).
   */
  @WithDefault("16")
  int maxInFlightPerEndpoint();

  /** Requests in flight per replica, across all endpoints. */
  @WithDefault("1024")
  int maxInFlight();

  /**
   * Deliveries one replica holds leased at a time (in flight and queued in its lanes), at least
   * four times {@code maxInFlight}; the fan-out writes no more than fit, and leases the rest once
   * they do.
   */
  @WithDefault("4096")
  int maxHeld();

  /**
   * The longest the fan-out waits for room to hold new deliveries; past it, it fans out without a
   * limit until it has caught up, queueing what it cannot hold for a later claim, so that every
   * committed event soon has its deliveries.
   */
  @WithDefault("2s")
  Duration fanOutWait();

  /**
   * The longest a finished attempt waits before it is written: outcomes are written together, one
   * transaction for everything that finished in this time.
   */
  @WithDefault("10ms")
  Duration recordInterval();

  /** On shutdown, how long requests in flight may take to finish before the service stops. */
  @WithDefault("10s")
  Duration shutdownGrace();

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
