package dev.nudge.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When to try a failed delivery again: the configured schedule with up to 10 % jitter either way,
 * or the receiver's {@code Retry-After} (capped) when it sent one with a 429 or 503.
 */
public final class RetryPolicy {

  private final List<Duration> schedule;
  private final Duration maxRetryAfter;
  private final DoubleSupplier random;

  public RetryPolicy(List<Duration> schedule, Duration maxRetryAfter, DoubleSupplier random) {
    this.schedule = List.copyOf(schedule);
    this.maxRetryAfter = maxRetryAfter;
    this.random = random;
  }

  /**
   * The delay before the next attempt after {@code attemptsMade} failed attempts, or empty when the
   * schedule is exhausted.
   */
  public Optional<Duration> next(int attemptsMade, Duration retryAfter) {
    if (attemptsMade < 1 || attemptsMade > schedule.size()) {
      return Optional.empty();
    }
    if (retryAfter != null && !retryAfter.isNegative()) {
      return Optional.of(retryAfter.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter);
    }
    Duration base = schedule.get(attemptsMade - 1);
    double factor = 0.9 + 0.2 * random.getAsDouble();
    return Optional.of(Duration.ofMillis(Math.round(base.toMillis() * factor)));
  }

  /** Parses {@code Retry-After}: delay-seconds or an HTTP date; null when absent or unreadable. */
  public static Duration parseRetryAfter(String header, java.time.Instant now) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.trim();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
    } catch (NumberFormatException e) {
      // maybe a date
    }
    try {
      java.time.Instant at =
          java.time.ZonedDateTime.parse(
                  value, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
              .toInstant();
      Duration d = Duration.between(now, at);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
