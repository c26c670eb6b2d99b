package dev.nudge.complaint.domain;

import java.time.Instant;
import java.util.function.Consumer;

/**
 * Everything the complaint machine decides on, as one immutable value.
 *
 * @param firstResponse the first-response clock (stopped once {@code respondedAt} is set)
 * @param nextReply the clock a further customer message started, or null when nobody waits
 * @param followUp the follow-up after resolving, or null
 * @param warned a target was ever missed
 * @param breached a deadline was ever missed
 * @param pausedSince when the SLA was paused, or null while it runs
 */
public record ComplaintFacts(
    ComplaintState state,
    Severity severity,
    boolean publicCase,
    int escalationLevel,
    String assignee,
    SlaTerms terms,
    Instant openedAt,
    FirstResponse firstResponse,
    NextReply nextReply,
    FollowUp followUp,
    boolean warned,
    boolean breached,
    Instant pausedSince) {

  /** The first response's clock; each of warning and breach happens once. */
  public record FirstResponse(
      Instant targetAt, Instant dueAt, Instant respondedAt, boolean warned, boolean breached) {}

  /** The clock of a reply the customer is owed since {@code since}. */
  public record NextReply(
      Instant since, Instant targetAt, Instant dueAt, boolean warned, boolean breached) {}

  /**
   * The follow-up owed after resolving at {@code resolvedAt}; {@code notified} once it fell due.
   */
  public record FollowUp(Instant resolvedAt, Instant dueAt, boolean notified) {}

  /** A case opened at {@code openedAt}: the first-response clock starts then. */
  public static ComplaintFacts opened(
      Severity severity, boolean publicCase, SlaTerms terms, Instant openedAt) {
    return new ComplaintFacts(
        ComplaintState.OPEN,
        severity,
        publicCase,
        0,
        null,
        terms,
        openedAt,
        new FirstResponse(
            openedAt.plus(terms.firstResponseTarget()),
            openedAt.plus(terms.firstResponseDeadline()),
            null,
            false,
            false),
        null,
        null,
        false,
        false,
        null);
  }

  public boolean paused() {
    return pausedSince != null;
  }

  /** Whether a first response is still owed. */
  public boolean awaitingFirstResponse() {
    return firstResponse.respondedAt() == null;
  }

  /** Whether any clock runs that pausing would stop. */
  public boolean clockRunning() {
    return awaitingFirstResponse()
        || nextReply != null
        || followUp != null && !followUp.notified() && state == ComplaintState.RESOLVED;
  }

  /** A copy with the changes {@code change} makes to a mutable draft. */
  ComplaintFacts with(Consumer<Draft> change) {
    Draft d = new Draft(this);
    change.accept(d);
    return d.build();
  }

  /** The fields of a {@link ComplaintFacts} being changed. */
  static final class Draft {
    ComplaintState state;
    Severity severity;
    boolean publicCase;
    int escalationLevel;
    String assignee;
    SlaTerms terms;
    Instant openedAt;
    FirstResponse firstResponse;
    NextReply nextReply;
    FollowUp followUp;
    boolean warned;
    boolean breached;
    Instant pausedSince;

    Draft(ComplaintFacts f) {
      state = f.state;
      severity = f.severity;
      publicCase = f.publicCase;
      escalationLevel = f.escalationLevel;
      assignee = f.assignee;
      terms = f.terms;
      openedAt = f.openedAt;
      firstResponse = f.firstResponse;
      nextReply = f.nextReply;
      followUp = f.followUp;
      warned = f.warned;
      breached = f.breached;
      pausedSince = f.pausedSince;
    }

    ComplaintFacts build() {
      return new ComplaintFacts(
          state,
          severity,
          publicCase,
          escalationLevel,
          assignee,
          terms,
          openedAt,
          firstResponse,
          nextReply,
          followUp,
          warned,
          breached,
          pausedSince);
    }
  }
}
