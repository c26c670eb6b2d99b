package dev.nudge.complaint.domain;

import static dev.nudge.complaint.domain.ComplaintTransitions.TIMERS;

import dev.nudge.complaint.domain.ComplaintFacts.FirstResponse;
import dev.nudge.complaint.domain.ComplaintFacts.FollowUp;
import dev.nudge.complaint.domain.ComplaintFacts.NextReply;
import dev.nudge.complaint.domain.ComplaintTransitions.Timer;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The case's clocks (SPEC §3): a missed target warns once, a missed deadline breaches and escalates
 * once, per clock; a resolved case's follow-up falls due once. A paused case, or an answered clock,
 * fires nothing. Effects are dated when the timer was due.
 */
public final class ComplaintTimers {

  private ComplaintTimers() {}

  /** Which clock a warning or breach is about. */
  public enum Metric {
    FIRST_RESPONSE,
    NEXT_REPLY;

    private final String wire = name().toLowerCase(Locale.ROOT);

    public String wire() {
      return wire;
    }
  }

  /** What firing a timer did. */
  public sealed interface Fired {
    ComplaintFacts after();

    ComplaintState from();

    Instant at();
  }

  public record Warned(ComplaintFacts after, ComplaintState from, Metric metric, Instant at)
      implements Fired {}

  /** A deadline passed: the case escalated one level. */
  public record Breached(ComplaintFacts after, ComplaintState from, Metric metric, Instant at)
      implements Fired {}

  public record FollowUpDue(ComplaintFacts after, ComplaintState from, Instant at)
      implements Fired {}

  /** When the case's next timer falls due, if it has one. */
  public static Optional<Instant> nextAt(ComplaintFacts f) {
    if (f.paused()) {
      return Optional.empty();
    }
    Instant next = earliest(null, firstResponseDue(f));
    next = earliest(next, nextReplyDue(f));
    next = earliest(next, followUpDue(f));
    return Optional.ofNullable(next);
  }

  /** Fires the timer that was due at {@code at}; empty if none was due by then (a repeat). */
  public static Optional<Fired> fire(ComplaintFacts f, Instant at) {
    Optional<Instant> due = nextAt(f);
    if (due.isEmpty() || due.get().isAfter(at)) {
      return Optional.empty();
    }
    Instant when = due.get();
    if (when.equals(firstResponseDue(f))) {
      FirstResponse fr = f.firstResponse();
      if (!fr.warned()) {
        ComplaintFacts after =
            f.with(
                d -> {
                  d.firstResponse =
                      new FirstResponse(fr.targetAt(), fr.dueAt(), null, true, fr.breached());
                  d.warned = true;
                });
        return Optional.of(warned(f, after, Metric.FIRST_RESPONSE, when));
      }
      ComplaintFacts after =
          f.with(
              d -> {
                d.firstResponse = new FirstResponse(fr.targetAt(), fr.dueAt(), null, true, true);
                d.breached = true;
                d.escalationLevel = f.escalationLevel() + 1;
              });
      return Optional.of(breached(f, after, Metric.FIRST_RESPONSE, when));
    }
    if (when.equals(nextReplyDue(f))) {
      NextReply nr = f.nextReply();
      if (!nr.warned()) {
        ComplaintFacts after =
            f.with(
                d -> {
                  d.nextReply =
                      new NextReply(nr.since(), nr.targetAt(), nr.dueAt(), true, nr.breached());
                  d.warned = true;
                });
        return Optional.of(warned(f, after, Metric.NEXT_REPLY, when));
      }
      ComplaintFacts after =
          f.with(
              d -> {
                d.nextReply = new NextReply(nr.since(), nr.targetAt(), nr.dueAt(), true, true);
                d.breached = true;
                d.escalationLevel = f.escalationLevel() + 1;
              });
      return Optional.of(breached(f, after, Metric.NEXT_REPLY, when));
    }
    FollowUp fu = f.followUp();
    ComplaintFacts after =
        f.with(d -> d.followUp = new FollowUp(fu.resolvedAt(), fu.dueAt(), true));
    TIMERS.check(f.state(), Timer.FOLLOW_UP_DUE, after.state());
    return Optional.of(new FollowUpDue(after, f.state(), when));
  }

  private static Fired warned(ComplaintFacts f, ComplaintFacts after, Metric m, Instant at) {
    TIMERS.check(f.state(), Timer.SLA_WARNING, after.state());
    return new Warned(after, f.state(), m, at);
  }

  private static Fired breached(ComplaintFacts f, ComplaintFacts after, Metric m, Instant at) {
    TIMERS.check(f.state(), Timer.SLA_BREACH, after.state());
    return new Breached(after, f.state(), m, at);
  }

  private static Instant firstResponseDue(ComplaintFacts f) {
    FirstResponse fr = f.firstResponse();
    if (fr.respondedAt() != null) {
      return null;
    }
    return !fr.warned() ? fr.targetAt() : !fr.breached() ? fr.dueAt() : null;
  }

  private static Instant nextReplyDue(ComplaintFacts f) {
    NextReply nr = f.nextReply();
    if (nr == null) {
      return null;
    }
    return !nr.warned() ? nr.targetAt() : !nr.breached() ? nr.dueAt() : null;
  }

  private static Instant followUpDue(ComplaintFacts f) {
    FollowUp fu = f.followUp();
    return f.state() == ComplaintState.RESOLVED && fu != null && !fu.notified() ? fu.dueAt() : null;
  }

  private static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }
}
