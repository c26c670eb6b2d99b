package dev.nudge.event;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** {@code nudge.events.retention*}: how long events and delivery attempts are kept. */
@ApplicationScoped
public class RetentionConfig {

  private final Duration retention;
  private final int batchSize;

  public RetentionConfig(
      @ConfigProperty(name = "nudge.events.retention", defaultValue = "P30D") Duration retention,
      @ConfigProperty(name = "nudge.events.retention-batch-size", defaultValue = "1000")
          int batchSize) {
    if (retention.compareTo(Duration.ofHours(1)) < 0) {
      throw new IllegalArgumentException("nudge.events.retention must be at least PT1H");
    }
    this.retention = retention;
    this.batchSize = batchSize;
  }

  /** How long an event (and a delivery attempt) is kept after it was recorded. */
  public Duration retention() {
    return retention;
  }

  /** Rows removed per transaction, so no removal holds locks for long. */
  public int batchSize() {
    return batchSize;
  }
}
