package dev.nudge.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private static final List<Duration> SPEC =
      List.of(
          Duration.ofSeconds(5),
          Duration.ofMinutes(5),
          Duration.ofMinutes(30),
          Duration.ofHours(2),
          Duration.ofHours(5),
          Duration.ofHours(10),
          Duration.ofHours(10));

  @Test
  void followsTheScheduleThenGivesUp() {
    RetryPolicy noJitter = new RetryPolicy(SPEC, Duration.ofDays(1), () -> 0.5);
    for (int i = 0; i < SPEC.size(); i++) {
      assertEquals(Optional.of(SPEC.get(i)), noJitter.next(i + 1, null));
    }
    assertEquals(Optional.empty(), noJitter.next(SPEC.size() + 1, null));
  }

  @Test
  void jitterStaysWithinTenPercent() {
    RetryPolicy low = new RetryPolicy(SPEC, Duration.ofDays(1), () -> 0.0);
    RetryPolicy high = new RetryPolicy(SPEC, Duration.ofDays(1), () -> 0.999999);
    assertEquals(Duration.ofMinutes(27), low.next(3, null).orElseThrow());
    Duration top = high.next(3, null).orElseThrow();
    assertTrue(
        top.compareTo(Duration.ofMinutes(33)) <= 0 && top.compareTo(Duration.ofMinutes(32)) > 0);
  }

  @Test
  void retryAfterWinsAndIsCapped() {
    RetryPolicy p = new RetryPolicy(SPEC, Duration.ofHours(1), () -> 0.5);
    assertEquals(Optional.of(Duration.ofSeconds(120)), p.next(1, Duration.ofSeconds(120)));
    assertEquals(Optional.of(Duration.ofHours(1)), p.next(1, Duration.ofHours(9)));
    assertEquals(Optional.empty(), p.next(8, Duration.ofSeconds(1)));
  }

  @Test
  void parsesRetryAfterSecondsAndDates() {
    Instant now = Instant.parse("2026-11-22T10:00:00Z");
    assertEquals(Duration.ofSeconds(30), RetryPolicy.parseRetryAfter("30", now));
    assertEquals(
        Duration.ofMinutes(2), RetryPolicy.parseRetryAfter("Sun, 22 Nov 2026 10:02:00 GMT", now));
    assertEquals(null, RetryPolicy.parseRetryAfter("soon", now));
    assertEquals(null, RetryPolicy.parseRetryAfter(null, now));
  }
}
