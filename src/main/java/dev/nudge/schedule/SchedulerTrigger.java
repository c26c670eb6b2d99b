package dev.nudge.schedule;

import dev.nudge.common.db.DatabaseUnavailable;
import dev.nudge.common.lifecycle.Stopping;
import dev.nudge.common.log.FailureRun;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Polls for due timers on every replica; the work and its transactions live in the engine. */
@ApplicationScoped
public class SchedulerTrigger {

  private static final Logger LOG = Logger.getLogger(SchedulerTrigger.class);

  private final TimerEngine engine;
  private final Stopping stopping;
  private final FailureRun outage = new FailureRun(LOG, "Timer poll");

  public SchedulerTrigger(TimerEngine engine, Stopping stopping) {
    this.engine = engine;
    this.stopping = stopping;
  }

  @Scheduled(
      every = "${nudge.scheduler.poll-interval}",
      delayed = "${nudge.scheduler.poll-interval}",
      concurrentExecution = ConcurrentExecution.SKIP)
  void poll() {
    // A tick that comes as the service stops does nothing: the timers stay due for the next start
    // or another replica, and no work begins against a container that is going away.
    ArcContainer container = Arc.container();
    if (container == null || !container.isRunning() || stopping.now()) {
      return;
    }
    try {
      engine.runDue();
      outage.succeeded();
    } catch (RuntimeException e) {
      // Keep polling: the next run retakes whatever this one left unlocked.
      if (DatabaseUnavailable.causedBy(e)) {
        outage.failed(e); // one warning when the database goes away, one line when it is back
      } else {
        LOG.error("timer poll failed", e);
      }
    }
  }
}
