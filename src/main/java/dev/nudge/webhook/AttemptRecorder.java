package dev.nudge.webhook;

import dev.nudge.common.log.FailureRun;
import dev.nudge.webhook.AttemptLog.Finished;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * Collects finished attempts from the event loops and writes them on a thread of its own, all that
 * finished within {@code recordInterval} in one transaction (group commit): per delivery the
 * database then sees a share of one statement instead of a transaction of its own. A write that
 * fails (the database is away) is retried with the same attempts until it succeeds; until then the
 * deliveries stay leased, so nothing is sent twice meanwhile unless the lease runs out.
 */
final class AttemptRecorder {

  /** Told what was written, on the recorder's thread. */
  interface Listener {
    void written(List<Finished> batch, Set<String> disabledEndpoints);
  }

  private static final Logger LOG = Logger.getLogger(AttemptRecorder.class);
  private static final int MAX_BATCH = 1000;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final AttemptLog log;
  private final Duration interval;
  private final Duration disableAfter;
  private final Listener listener;
  private final Counter succeeded;
  private final Counter failed;
  private final Counter deliveriesFailed;
  private final ConcurrentLinkedQueue<Finished> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final Thread thread;
  private final FailureRun failures = new FailureRun(LOG, "Writing webhook attempts");
  private volatile boolean stopping;
  private volatile boolean writing;

  AttemptRecorder(
      AttemptLog log,
      Duration interval,
      Duration disableAfter,
      MeterRegistry metrics,
      Listener listener) {
    this.log = log;
    this.interval = interval;
    this.disableAfter = disableAfter;
    this.listener = listener;
    this.succeeded = metrics.counter("nudge.webhook.attempts", "outcome", "succeeded");
    this.failed = metrics.counter("nudge.webhook.attempts", "outcome", "failed");
    this.deliveriesFailed = metrics.counter("nudge.webhook.deliveries.failed");
    this.thread = new Thread(this::run, "nudge-webhook-recorder");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void submit(Finished f) {
    pending.add(f);
    if (size.getAndIncrement() == 0) {
      LockSupport.unpark(thread);
    }
  }

  /** Attempts finished but not yet written. */
  int backlog() {
    return size.get() + (writing ? 1 : 0);
  }

  /** Writes what is pending and stops, waiting at most {@code patience}. */
  void stop(Duration patience) throws InterruptedException {
    stopping = true;
    LockSupport.unpark(thread);
    thread.join(Math.max(1, patience.toMillis()));
  }

  private void run() {
    List<Finished> batch = new ArrayList<>();
    long backoffMillis = 0;
    while (true) {
      if (batch.isEmpty()) {
        if (size.get() == 0) {
          if (stopping) {
            return;
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
          continue;
        }
        if (!stopping && size.get() < MAX_BATCH) {
          // Let the attempts finishing right now join this write.
          LockSupport.parkNanos(interval.toNanos());
        }
        Finished f;
        while (batch.size() < MAX_BATCH && (f = pending.poll()) != null) {
          size.decrementAndGet();
          batch.add(f);
        }
      }
      writing = true;
      try {
        Set<String> disabled = log.write(batch, disableAfter);
        count(batch);
        listener.written(batch, disabled);
        batch = new ArrayList<>();
        backoffMillis = 0;
        failures.succeeded();
      } catch (RuntimeException e) {
        failures.failed(e);
        backoffMillis = Math.min(MAX_BACKOFF.toMillis(), Math.max(100, backoffMillis * 2));
        if (stopping && backoffMillis >= MAX_BACKOFF.toMillis()) {
          // Shutting down with the database away: the leases run out and the deliveries are
          // sent again by whichever replica takes them.
          return;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMillis));
      } finally {
        writing = false;
      }
    }
  }

  private void count(List<Finished> batch) {
    for (Finished f : batch) {
      if (f.outcome().success()) {
        succeeded.increment();
      } else {
        failed.increment();
        if (f.retryIn() == null) {
          deliveriesFailed.increment();
        }
      }
    }
  }
}
