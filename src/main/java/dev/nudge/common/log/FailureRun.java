package dev.nudge.common.log;

import org.jboss.logging.Logger;

/**
 * The log of a background loop that keeps retrying: a run of failures (the database away for a
 * minute, say) is one warning when it starts and one line when the loop works again, not a stack
 * trace per try. Each try's failure is still logged at DEBUG, with its stack trace.
 */
public final class FailureRun {

  private final Logger log;
  private final String what;
  private long startedNanos;
  private int failures;

  public FailureRun(Logger log, String what) {
    this.log = log;
    this.what = what;
  }

  /** A try failed; logs a warning if it is the first of a run. */
  public synchronized void failed(Throwable e) {
    if (failures++ == 0) {
      startedNanos = System.nanoTime();
      log.warnf("%s failed (%s); retrying until it works again", what, rootMessage(e));
    }
    log.debugf(e, "%s failed (%d in a row)", what, failures);
  }

  /** A try worked; ends the run of failures, if any, with one line. */
  public synchronized void succeeded() {
    if (failures > 0) {
      log.infof(
          "%s works again after %d failed tries in %d s",
          what, failures, (System.nanoTime() - startedNanos) / 1_000_000_000L);
      failures = 0;
    }
  }

  public synchronized boolean failing() {
    return failures > 0;
  }

  public static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
