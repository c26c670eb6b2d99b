package dev.nudge.complaint.domain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The response times a case runs by, taken from its severity's SLA policy when it opens: the first
 * response's target (a warning when missed) and deadline (a breach and an escalation), the same
 * pair for each reply the customer is owed after writing again, and when to follow up after
 * resolving.
 */
public record SlaTerms(
    Duration firstResponseTarget,
    Duration firstResponseDeadline,
    Duration nextReplyTarget,
    Duration nextReplyDeadline,
    Duration followUpAfter) {

  /**
   * SPEC §2 defaults: the next-reply pair equals the first-response pair; follow up after 3 days.
   */
  public static SlaTerms defaults(Severity severity) {
    Duration target =
        switch (severity) {
          case CRITICAL -> Duration.ofMinutes(15);
          case HIGH -> Duration.ofMinutes(30);
          case NORMAL -> Duration.ofHours(1);
          case LOW -> Duration.ofHours(4);
        };
    Duration deadline =
        switch (severity) {
          case CRITICAL -> Duration.ofHours(1);
          case HIGH -> Duration.ofHours(4);
          case NORMAL, LOW -> Duration.ofHours(24);
        };
    return new SlaTerms(target, deadline, target, deadline, Duration.ofDays(3));
  }

  /** A field's problem, for the request that set the terms. */
  public record Problem(String field, String message) {}

  /** What is wrong with these terms; empty when they are sound. */
  public List<Problem> problems() {
    List<Problem> out = new ArrayList<>();
    if (firstResponseTarget.compareTo(firstResponseDeadline) > 0) {
      out.add(new Problem("firstResponseTarget", "must not be later than firstResponseDeadline"));
    }
    if (nextReplyTarget.compareTo(nextReplyDeadline) > 0) {
      out.add(new Problem("nextReplyTarget", "must not be later than nextReplyDeadline"));
    }
    return out;
  }
}
