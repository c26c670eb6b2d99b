package dev.nudge.webhook;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When the fan-out runs and how many new deliveries it may lease: no more than the replica has room
 * to hold, so they are not queued and claimed later. With less room than {@code least} it waits
 * (the dispatcher looks again soon); once it has been behind for {@code wait} it fans out without a
 * limit until it has caught up with the committed events, queueing what it cannot hold, so every
 * event soon has its deliveries. Used by the dispatcher's thread; {@link #behind} may be read from
 * any thread.
 */
final class FanOutPacing {

  /** {@link #limit}: do not fan out now. */
  static final int WAIT = 0;

  /** {@link #limit}: fan out without a limit. */
  static final int UNLIMITED = Integer.MAX_VALUE;

  private final long waitNanos;
  private final int least;
  private final LongSupplier nanoTime;

  /** Since when (on {@code nanoTime}) the fan-out has been behind, while it is. */
  private long behindSince;

  private volatile boolean behind;

  FanOutPacing(Duration wait, int least, LongSupplier nanoTime) {
    this.waitNanos = wait.toNanos();
    this.least = least;
    this.nanoTime = nanoTime;
  }

  /**
   * The deliveries the next statement may lease with {@code room} free: a count, WAIT or UNLIMITED.
   */
  int limit(int room) {
    if (behind && nanoTime.getAsLong() - behindSince >= waitNanos) {
      return UNLIMITED;
    }
    if (room < least) {
      fellBehind();
      return WAIT;
    }
    return room;
  }

  /**
   * What the statement run with {@code limit} did: it stopped before events it had read ({@code
   * heldBack}), or took all it asked for ({@code more}: more may be waiting).
   */
  void ran(int limit, boolean heldBack, boolean more) {
    if (heldBack) {
      fellBehind();
    } else if (limit != UNLIMITED || !more) {
      behind = false; // everything read had room, or the fan-out has caught up
    }
  }

  /** The fan-out has left committed events for want of room, or is catching up on them. */
  boolean behind() {
    return behind;
  }

  private void fellBehind() {
    if (!behind) {
      behindSince = nanoTime.getAsLong();
      behind = true;
    }
  }
}
