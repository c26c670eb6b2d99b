package dev.nudge.common.log;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Bounds a warning that can repeat many times a second (once per failed request while the database
 * is away, say): the first is logged, then at most one per interval, and the one logged says how
 * many were left out since the last.
 */
public final class LogWindow {

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private long windowStart;
  private boolean started;
  private int suppressed;

  public LogWindow(Duration interval) {
    this(interval, System::nanoTime);
  }

  LogWindow(Duration interval, LongSupplier nanoTime) {
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * Whether to log the line at hand: -1 to leave it out, otherwise the number of lines left out
   * since the last one logged.
   */
  public synchronized int admit() {
    long now = nanoTime.getAsLong();
    if (started && now - windowStart < intervalNanos) {
      suppressed++;
      return -1;
    }
    started = true;
    windowStart = now;
    int left = suppressed;
    suppressed = 0;
    return left;
  }

  /** The suffix that says how many {@code what} were left out, or nothing. */
  public static String leftOut(int left, String what) {
    return left > 0
        ? " (" + left + " more " + what + " since the last logged one were left out)"
        : "";
  }
}
