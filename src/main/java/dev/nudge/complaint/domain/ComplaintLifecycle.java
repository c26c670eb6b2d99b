package dev.nudge.complaint.domain;

import static dev.nudge.complaint.domain.ComplaintTransitions.ACTIONS;

import dev.nudge.common.statemachine.ActionRefused;
import dev.nudge.complaint.domain.ComplaintFacts.FirstResponse;
import dev.nudge.complaint.domain.ComplaintFacts.FollowUp;
import dev.nudge.complaint.domain.ComplaintFacts.NextReply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an action does to a case: the guards and the effects, including the SLA clocks. Pure: time
 * comes in as {@code at}, and every state change is checked against {@link
 * ComplaintTransitions#ACTIONS}.
 */
public final class ComplaintLifecycle {

  private ComplaintLifecycle() {}

  /** What an action carries besides its type; the service checks which it needs. */
  public record Params(String assignee, Boolean satisfied) {
    public static final Params NONE = new Params(null, null);
  }

  /** The case after an action, and the states it moved between. */
  public record Outcome(ComplaintFacts after, ComplaintState from, ComplaintState to) {}

  public static Outcome act(ComplaintFacts f, ComplaintAction action, Params p, Instant at) {
    refusal(f, action)
        .ifPresent(
            reason -> {
              throw new ActionRefused(f.state().wire(), action.wire(), reason, allowedActions(f));
            });
    ComplaintFacts after = effect(f, action, p, at);
    ACTIONS.check(f.state(), action, after.state());
    return new Outcome(after, f.state(), after.state());
  }

  /** Why {@code action} may not happen now; empty when it may. */
  public static Optional<String> refusal(ComplaintFacts f, ComplaintAction action) {
    if (!ACTIONS.allows(f.state(), action)) {
      return Optional.of(action.wire() + " is not allowed while the case is " + f.state().wire());
    }
    return switch (action) {
      case MOVE_TO_PRIVATE ->
          f.publicCase() ? Optional.empty() : Optional.of("the case is already private");
      case PAUSE_SLA -> {
        if (f.paused()) {
          yield Optional.of("the SLA is already paused");
        }
        yield f.clockRunning() ? Optional.empty() : Optional.of("no SLA clock is running");
      }
      case RESUME_SLA -> f.paused() ? Optional.empty() : Optional.of("the SLA is not paused");
      default -> Optional.empty();
    };
  }

  /** The actions that may happen now, in table order. */
  public static List<String> allowedActions(ComplaintFacts f) {
    List<String> out = new ArrayList<>();
    for (ComplaintAction a : ComplaintAction.values()) {
      if (ACTIONS.allows(f.state(), a) && refusal(f, a).isEmpty()) {
        out.add(a.wire());
      }
    }
    return out;
  }

  private static ComplaintFacts effect(
      ComplaintFacts f, ComplaintAction action, Params p, Instant at) {
    return switch (action) {
      case RESPOND ->
          f.with(
              d -> {
                if (f.awaitingFirstResponse()) {
                  FirstResponse fr = f.firstResponse();
                  d.firstResponse =
                      new FirstResponse(fr.targetAt(), fr.dueAt(), at, fr.warned(), fr.breached());
                }
                d.nextReply = null;
                d.state =
                    f.state() == ComplaintState.OPEN ? ComplaintState.ACKNOWLEDGED : f.state();
              });
      case CUSTOMER_MESSAGE ->
          f.with(
              d -> {
                // Before the first answer the first-response clock still runs; after it, the
                // customer is owed a reply from their first unanswered message on.
                if (!f.awaitingFirstResponse() && f.nextReply() == null) {
                  SlaTerms t = f.terms();
                  d.nextReply =
                      new NextReply(
                          at,
                          at.plus(t.nextReplyTarget()),
                          at.plus(t.nextReplyDeadline()),
                          false,
                          false);
                }
              });
      case MOVE_TO_PRIVATE -> f.with(d -> d.publicCase = false);
      case PROPOSE_SOLUTION -> f.with(d -> d.state = ComplaintState.SOLUTION_PROPOSED);
      case RESOLVE ->
          f.with(
              d -> {
                d.state = ComplaintState.RESOLVED;
                d.followUp = new FollowUp(at, at.plus(f.terms().followUpAfter()), false);
              });
      case RECORD_FOLLOW_UP ->
          f.with(
              d -> {
                d.state =
                    Boolean.TRUE.equals(p.satisfied())
                        ? ComplaintState.CLOSED
                        : ComplaintState.ACKNOWLEDGED;
                d.followUp = null;
              });
      case REOPEN ->
          f.with(
              d -> {
                d.state = ComplaintState.ACKNOWLEDGED;
                d.followUp = null;
              });
      case ESCALATE -> f.with(d -> d.escalationLevel = f.escalationLevel() + 1);
      case ASSIGN -> f.with(d -> d.assignee = p.assignee());
      case PAUSE_SLA -> f.with(d -> d.pausedSince = at);
      case RESUME_SLA -> resume(f, at);
    };
  }

  /**
   * Every running clock moves on by the time it spent paused: the whole pause, or the part after
   * the clock started when it started during the pause.
   */
  private static ComplaintFacts resume(ComplaintFacts f, Instant at) {
    Instant paused = f.pausedSince();
    return f.with(
        d -> {
          FirstResponse fr = f.firstResponse();
          if (f.awaitingFirstResponse()) {
            Duration by = pausedFor(paused, f.openedAt(), at);
            d.firstResponse =
                new FirstResponse(
                    fr.targetAt().plus(by), fr.dueAt().plus(by), null, fr.warned(), fr.breached());
          }
          NextReply nr = f.nextReply();
          if (nr != null) {
            Duration by = pausedFor(paused, nr.since(), at);
            d.nextReply =
                new NextReply(
                    nr.since(),
                    nr.targetAt().plus(by),
                    nr.dueAt().plus(by),
                    nr.warned(),
                    nr.breached());
          }
          FollowUp fu = f.followUp();
          if (fu != null && !fu.notified()) {
            d.followUp =
                new FollowUp(
                    fu.resolvedAt(),
                    fu.dueAt().plus(pausedFor(paused, fu.resolvedAt(), at)),
                    false);
          }
          d.pausedSince = null;
        });
  }

  private static Duration pausedFor(Instant pausedSince, Instant clockStart, Instant resumedAt) {
    Instant from = clockStart.isAfter(pausedSince) ? clockStart : pausedSince;
    Duration d = Duration.between(from, resumedAt);
    return d.isNegative() ? Duration.ZERO : d;
  }
}
