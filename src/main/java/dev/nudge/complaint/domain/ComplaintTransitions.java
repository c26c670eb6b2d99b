package dev.nudge.complaint.domain;

import static dev.nudge.complaint.domain.ComplaintAction.ASSIGN;
import static dev.nudge.complaint.domain.ComplaintAction.CUSTOMER_MESSAGE;
import static dev.nudge.complaint.domain.ComplaintAction.ESCALATE;
import static dev.nudge.complaint.domain.ComplaintAction.MOVE_TO_PRIVATE;
import static dev.nudge.complaint.domain.ComplaintAction.PAUSE_SLA;
import static dev.nudge.complaint.domain.ComplaintAction.PROPOSE_SOLUTION;
import static dev.nudge.complaint.domain.ComplaintAction.RECORD_FOLLOW_UP;
import static dev.nudge.complaint.domain.ComplaintAction.REOPEN;
import static dev.nudge.complaint.domain.ComplaintAction.RESOLVE;
import static dev.nudge.complaint.domain.ComplaintAction.RESPOND;
import static dev.nudge.complaint.domain.ComplaintAction.RESUME_SLA;
import static dev.nudge.complaint.domain.ComplaintState.ACKNOWLEDGED;
import static dev.nudge.complaint.domain.ComplaintState.CLOSED;
import static dev.nudge.complaint.domain.ComplaintState.OPEN;
import static dev.nudge.complaint.domain.ComplaintState.RESOLVED;
import static dev.nudge.complaint.domain.ComplaintState.SOLUTION_PROPOSED;

import dev.nudge.common.statemachine.TransitionTable;

/**
 * The complaint machine of SPEC §2 and §3, as tables. A customer may write and the support team may
 * answer in any state (a closed case's customer can still write back); a solution is proposed only
 * to a case that was answered, and only a resolved case is followed up.
 */
public final class ComplaintTransitions {

  /** Timer-driven triggers (SPEC §3). */
  public enum Timer {
    SLA_WARNING,
    SLA_BREACH,
    FOLLOW_UP_DUE
  }

  private ComplaintTransitions() {}

  /** Who takes an action: the customer writes, the support team does the rest. */
  public static String who(ComplaintAction a) {
    return a == ComplaintAction.CUSTOMER_MESSAGE ? "the customer" : "the support team";
  }

  /** When a timer fires (see {@link ComplaintTimers}). */
  public static String when(Timer t) {
    return switch (t) {
      case SLA_WARNING -> "a first-response or next-reply target passes unanswered";
      case SLA_BREACH -> "a first-response or next-reply deadline passes unanswered";
      case FOLLOW_UP_DUE -> "a resolved case's followUpDueAt passes";
    };
  }

  // @formatter:off
  public static final TransitionTable<ComplaintState, ComplaintAction> ACTIONS =
      TransitionTable.of(ComplaintState.class, ComplaintAction.class)
          .on(OPEN, RESPOND, ACKNOWLEDGED)
          .on(OPEN, CUSTOMER_MESSAGE, OPEN)
          .on(OPEN, MOVE_TO_PRIVATE, OPEN)
          .on(OPEN, ESCALATE, OPEN)
          .on(OPEN, ASSIGN, OPEN)
          .on(OPEN, PAUSE_SLA, OPEN)
          .on(OPEN, RESUME_SLA, OPEN)
          .on(ACKNOWLEDGED, RESPOND, ACKNOWLEDGED)
          .on(ACKNOWLEDGED, CUSTOMER_MESSAGE, ACKNOWLEDGED)
          .on(ACKNOWLEDGED, MOVE_TO_PRIVATE, ACKNOWLEDGED)
          .on(ACKNOWLEDGED, PROPOSE_SOLUTION, SOLUTION_PROPOSED)
          .on(ACKNOWLEDGED, RESOLVE, RESOLVED)
          .on(ACKNOWLEDGED, ESCALATE, ACKNOWLEDGED)
          .on(ACKNOWLEDGED, ASSIGN, ACKNOWLEDGED)
          .on(ACKNOWLEDGED, PAUSE_SLA, ACKNOWLEDGED)
          .on(ACKNOWLEDGED, RESUME_SLA, ACKNOWLEDGED)
          .on(SOLUTION_PROPOSED, RESPOND, SOLUTION_PROPOSED)
          .on(SOLUTION_PROPOSED, CUSTOMER_MESSAGE, SOLUTION_PROPOSED)
          .on(SOLUTION_PROPOSED, MOVE_TO_PRIVATE, SOLUTION_PROPOSED)
          .on(SOLUTION_PROPOSED, PROPOSE_SOLUTION, SOLUTION_PROPOSED)
          .on(SOLUTION_PROPOSED, RESOLVE, RESOLVED)
          .on(SOLUTION_PROPOSED, ESCALATE, SOLUTION_PROPOSED)
          .on(SOLUTION_PROPOSED, ASSIGN, SOLUTION_PROPOSED)
          .on(SOLUTION_PROPOSED, PAUSE_SLA, SOLUTION_PROPOSED)
          .on(SOLUTION_PROPOSED, RESUME_SLA, SOLUTION_PROPOSED)
          .on(RESOLVED, RESPOND, RESOLVED)
          .on(RESOLVED, CUSTOMER_MESSAGE, RESOLVED)
          .on(RESOLVED, MOVE_TO_PRIVATE, RESOLVED)
          .on(RESOLVED, RECORD_FOLLOW_UP, CLOSED, ACKNOWLEDGED)
          .on(RESOLVED, REOPEN, ACKNOWLEDGED)
          .on(RESOLVED, ASSIGN, RESOLVED)
          .on(RESOLVED, PAUSE_SLA, RESOLVED)
          .on(RESOLVED, RESUME_SLA, RESOLVED)
          .on(CLOSED, RESPOND, CLOSED)
          .on(CLOSED, CUSTOMER_MESSAGE, CLOSED)
          .on(CLOSED, REOPEN, ACKNOWLEDGED)
          .on(CLOSED, PAUSE_SLA, CLOSED)
          .on(CLOSED, RESUME_SLA, CLOSED)
          .build();

  public static final TransitionTable<ComplaintState, Timer> TIMERS =
      TransitionTable.of(ComplaintState.class, Timer.class)
          .on(OPEN, Timer.SLA_WARNING, OPEN)
          .on(OPEN, Timer.SLA_BREACH, OPEN)
          .on(ACKNOWLEDGED, Timer.SLA_WARNING, ACKNOWLEDGED)
          .on(ACKNOWLEDGED, Timer.SLA_BREACH, ACKNOWLEDGED)
          .on(SOLUTION_PROPOSED, Timer.SLA_WARNING, SOLUTION_PROPOSED)
          .on(SOLUTION_PROPOSED, Timer.SLA_BREACH, SOLUTION_PROPOSED)
          .on(RESOLVED, Timer.SLA_WARNING, RESOLVED)
          .on(RESOLVED, Timer.SLA_BREACH, RESOLVED)
          .on(RESOLVED, Timer.FOLLOW_UP_DUE, RESOLVED)
          .on(CLOSED, Timer.SLA_WARNING, CLOSED)
          .on(CLOSED, Timer.SLA_BREACH, CLOSED)
          .build();
  // @formatter:on
}
