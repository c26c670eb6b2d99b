package dev.nudge.event;

import dev.nudge.common.db.DatabaseUnavailable;
import dev.nudge.common.log.FailureRun;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Runs retention on every replica every {@code nudge.events.retention-interval}. */
@ApplicationScoped
public class RetentionTrigger {

  private static final Logger LOG = Logger.getLogger(RetentionTrigger.class);

  private final EventRetention retention;
  private final FailureRun outage = new FailureRun(LOG, "Retention round");

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
      outage.succeeded();
    } catch (RuntimeException e) {
      // The next round retries; nothing is half-removed, each batch is one transaction.
      if (DatabaseUnavailable.causedBy(e)) {
        outage.failed(e); // one warning when the database goes away, one line when it is back
      } else {
        LOG.error("retention round failed", e);
      }
    }
  }
}
