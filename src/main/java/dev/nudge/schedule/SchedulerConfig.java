package dev.nudge.schedule;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code nudge.scheduler.*}: how replicas poll for due timers and retry failing ones. */
@ConfigMapping(prefix = "nudge.scheduler")
public interface SchedulerConfig {

  /** How often each replica looks for due timers. */
  @WithDefault("1s")
  Duration pollInterval();

  /** Timers claimed and written per transaction. */
  @WithDefault("500")
  int batchSize();

  /** Parallel claim loops per replica. */
  @WithDefault("2")
  int workers();

  /**
   * Timer batches that may run at once across all replicas together (a semaphore of PostgreSQL
   * advisory locks): what the database can take in parallel, typically its number of cores.
   * Replicas beyond that add failover, not contention.
   */
  @WithDefault("2")
  int maxParallelBatches();

  /** The first retry delay of a timer that failed to fire; it doubles with each failure. */
  @WithDefault("1m")
  Duration retryAfter();

  /** The longest retry delay. */
  @WithDefault("1h")
  Duration maxRetryAfter();
}
