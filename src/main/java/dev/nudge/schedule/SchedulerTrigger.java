package dev.nudge.schedule;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Polls for due timers on every replica; the work and its transactions live in the service. */
@ApplicationScoped
public class SchedulerTrigger {

  private static final Logger LOG = Logger.getLogger(SchedulerTrigger.class);

  private final TradeScheduler trades;

  public SchedulerTrigger(TradeScheduler trades) {
    this.trades = trades;
  }

  @Scheduled(
      every = "${nudge.scheduler.poll-interval}",
      delayed = "${nudge.scheduler.poll-interval}",
      concurrentExecution = ConcurrentExecution.SKIP)
  void poll() {
    try {
      trades.runDue();
    } catch (RuntimeException e) {
      // Keep polling: the next run retakes whatever this one left unlocked.
      LOG.error("trade timer poll failed", e);
    }
  }
}
