package dev.nudge.schedule;

import dev.nudge.common.db.DatabaseUnavailable;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Polls for due timers on every replica; the work and its transactions live in the engine. */
@ApplicationScoped
public class SchedulerTrigger {

  private static final Logger LOG = Logger.getLogger(SchedulerTrigger.class);

  private final TimerEngine engine;

  public SchedulerTrigger(TimerEngine engine) {
    this.engine = engine;
  }

  @Scheduled(
      every = "${nudge.scheduler.poll-interval}",
      delayed = "${nudge.scheduler.poll-interval}",
      concurrentExecution = ConcurrentExecution.SKIP)
  void poll() {
    try {
      engine.runDue();
    } catch (RuntimeException e) {
      // Keep polling: the next run retakes whatever this one left unlocked.
      if (DatabaseUnavailable.causedBy(e)) {
        LOG.warnf(
            "Timer poll skipped, the database is unavailable: %s", DatabaseUnavailable.describe(e));
      } else {
        LOG.error("timer poll failed", e);
      }
    }
  }
}
