package dev.nudge.event;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Runs retention on every replica every {@code nudge.events.retention-interval}. */
@ApplicationScoped
public class RetentionTrigger {

  private static final Logger LOG = Logger.getLogger(RetentionTrigger.class);

  private final EventRetention retention;

  public RetentionTrigger(EventRetention retention) {
    this.retention = retention;
  }

  @Scheduled(
      every = "${nudge.events.retention-interval:1m}",
      delayed = "${nudge.events.retention-interval:1m}",
      concurrentExecution = ConcurrentExecution.SKIP)
  void run() {
    try {
      retention.run();
    } catch (RuntimeException e) {
      // The next round retries; nothing is half-removed, each batch is one transaction.
      LOG.error("retention round failed", e);
    }
  }
}
