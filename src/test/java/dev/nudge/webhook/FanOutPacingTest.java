package dev.nudge.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The fan-out's pacing, on a clock the test moves: wait for room, then catch up regardless. */
class FanOutPacingTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final FanOutPacing pacing = new FanOutPacing(Duration.ofSeconds(2), 50, now::get);

  private void pass(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void withRoomTheLimitIsTheRoom() {
    assertEquals(400, pacing.limit(400));
    pacing.ran(400, false, true);
    assertFalse(pacing.behind());
  }

  @Test
  void withTooLittleRoomItWaitsAndIsBehind() {
    assertEquals(FanOutPacing.WAIT, pacing.limit(49));
    assertTrue(pacing.behind());
    pass(Duration.ofSeconds(1));
    assertEquals(FanOutPacing.WAIT, pacing.limit(0));
    assertEquals(120, pacing.limit(120), "room came back before the wait ran out");
    pacing.ran(120, false, false);
    assertFalse(pacing.behind());
  }

  @Test
  void aStatementStoppedAtItsLimitLeavesItBehindUntilOneIsNot() {
    pacing.ran(pacing.limit(300), true, false);
    assertTrue(pacing.behind());
    pass(Duration.ofMillis(500));
    pacing.ran(pacing.limit(300), false, true);
    assertFalse(pacing.behind(), "everything it read had room");
  }

  @Test
  void afterWaitingTheWholeWaitItCatchesUpWithoutALimitUntilNothingIsLeft() {
    assertEquals(FanOutPacing.WAIT, pacing.limit(10));
    pass(Duration.ofMillis(1_999));
    assertEquals(FanOutPacing.WAIT, pacing.limit(10));
    pass(Duration.ofMillis(1));
    assertEquals(FanOutPacing.UNLIMITED, pacing.limit(10));
    pacing.ran(FanOutPacing.UNLIMITED, false, true);
    assertTrue(pacing.behind(), "more events are waiting: still catching up");
    assertEquals(FanOutPacing.UNLIMITED, pacing.limit(0));
    pacing.ran(FanOutPacing.UNLIMITED, false, false);
    assertFalse(pacing.behind(), "caught up");
    assertEquals(FanOutPacing.WAIT, pacing.limit(10), "paced again, and waiting afresh");
  }
}
