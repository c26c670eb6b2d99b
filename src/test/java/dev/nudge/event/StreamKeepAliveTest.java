package dev.nudge.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An idle stream's keep-alive (SPEC §4: a comment line at least every 15 s): polled every 500 ms,
 * it goes out on the last tick before the silence would pass 15 s, never on a later one.
 */
class StreamKeepAliveTest {

  private final EventStreamResource stream =
      new EventStreamResource(
          null, null, null, null, Duration.ofMillis(500), Duration.ofSeconds(15));

  @Test
  void theKeepAliveGoesOutOnTheLastTickWithinTheInterval() {
    assertThat(stream.keepAliveDue(Duration.ofMillis(14_000))).isFalse();
    assertThat(stream.keepAliveDue(Duration.ofMillis(14_500))).isFalse();
    assertThat(stream.keepAliveDue(Duration.ofMillis(14_501))).isTrue();
    assertThat(stream.keepAliveDue(Duration.ofMillis(15_000))).isTrue();
  }

  @Test
  void ticksOfAnIdleStreamNeverLeaveMoreThanTheIntervalSilent() {
    for (long offset = 0; offset < 500; offset += 7) {
      long lastSent = 0;
      long longest = 0;
      for (long tick = offset; tick < 120_000; tick += 500) {
        if (stream.keepAliveDue(Duration.ofMillis(tick - lastSent))) {
          longest = Math.max(longest, tick - lastSent);
          lastSent = tick;
        }
      }
      assertThat(longest).as("ticks from %d ms", offset).isLessThanOrEqualTo(15_000);
    }
  }
}
