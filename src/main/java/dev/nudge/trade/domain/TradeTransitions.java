package dev.nudge.trade.domain;

import static dev.nudge.trade.domain.TradeAction.ACCEPT_CANCELLATION;
import static dev.nudge.trade.domain.TradeAction.CANCEL_FOR_NO_REPLY;
import static dev.nudge.trade.domain.TradeAction.CONFIRM_COMPLETION;
import static dev.nudge.trade.domain.TradeAction.CONFIRM_PAYMENT;
import static dev.nudge.trade.domain.TradeAction.CONFIRM_RECEIPT;
import static dev.nudge.trade.domain.TradeAction.CONFIRM_SHIPMENT;
import static dev.nudge.trade.domain.TradeAction.DECLINE_CANCELLATION;
import static dev.nudge.trade.domain.TradeAction.EXTEND_DEADLINE;
import static dev.nudge.trade.domain.TradeAction.REPLY;
import static dev.nudge.trade.domain.TradeAction.REQUEST_CANCELLATION;
import static dev.nudge.trade.domain.TradeAction.REQUEST_REPLY;
import static dev.nudge.trade.domain.TradeState.AGREED;
import static dev.nudge.trade.domain.TradeState.AWAITING_REPLY;
import static dev.nudge.trade.domain.TradeState.CANCELLED;
import static dev.nudge.trade.domain.TradeState.COMPLETED;
import static dev.nudge.trade.domain.TradeState.REMINDED;

import dev.nudge.common.statemachine.TransitionTable;

/** The trade machine of SPEC §2 and §3, as tables. Who may act is decided by the guards. */
public final class TradeTransitions {

  /** Timer-driven triggers (SPEC §3). */
  public enum Timer {
    REMINDER,
    SILENCE
  }

  private TradeTransitions() {}

  /** Who may take an action (the guards in {@link TradeLifecycle} decide it exactly). */
  public static String who(TradeAction a) {
    return switch (a) {
      case REPLY, ACCEPT_CANCELLATION, DECLINE_CANCELLATION -> "the awaited party";
      case EXTEND_DEADLINE, CANCEL_FOR_NO_REPLY -> "the waiting party";
      default -> "either party";
    };
  }

  /** When a timer fires (see {@link TradeTimers}). */
  public static String when(Timer t) {
    return switch (t) {
      case REMINDER -> "awaiting.dueAt, then reminders.nextAt, passes";
      case SILENCE -> "the last reminder plus the policy's finalGrace passes";
    };
  }

  // @formatter:off
  public static final TransitionTable<TradeState, TradeAction> ACTIONS =
      TransitionTable.of(TradeState.class, TradeAction.class)
          .on(AGREED, REQUEST_REPLY, AWAITING_REPLY)
          .on(AGREED, CONFIRM_PAYMENT, AGREED)
          .on(AGREED, CONFIRM_SHIPMENT, AGREED)
          .on(AGREED, CONFIRM_RECEIPT, AGREED)
          .on(AGREED, CONFIRM_COMPLETION, AWAITING_REPLY, COMPLETED)
          .on(AGREED, REQUEST_CANCELLATION, CANCELLED, AWAITING_REPLY)
          .on(AWAITING_REPLY, REPLY, AGREED)
          .on(AWAITING_REPLY, CONFIRM_PAYMENT, AWAITING_REPLY, AGREED)
          .on(AWAITING_REPLY, CONFIRM_SHIPMENT, AWAITING_REPLY, AGREED)
          .on(AWAITING_REPLY, CONFIRM_RECEIPT, AWAITING_REPLY, AGREED)
          .on(AWAITING_REPLY, CONFIRM_COMPLETION, AWAITING_REPLY, COMPLETED)
          .on(AWAITING_REPLY, REQUEST_CANCELLATION, CANCELLED, AWAITING_REPLY)
          .on(AWAITING_REPLY, ACCEPT_CANCELLATION, CANCELLED)
          .on(AWAITING_REPLY, DECLINE_CANCELLATION, AGREED)
          .on(AWAITING_REPLY, EXTEND_DEADLINE, AWAITING_REPLY)
          .on(REMINDED, REPLY, AGREED)
          .on(REMINDED, CONFIRM_PAYMENT, REMINDED, AGREED)
          .on(REMINDED, CONFIRM_SHIPMENT, REMINDED, AGREED)
          .on(REMINDED, CONFIRM_RECEIPT, REMINDED, AGREED)
          .on(REMINDED, CONFIRM_COMPLETION, AWAITING_REPLY, COMPLETED)
          .on(REMINDED, REQUEST_CANCELLATION, CANCELLED, AWAITING_REPLY)
          .on(REMINDED, ACCEPT_CANCELLATION, CANCELLED)
          .on(REMINDED, DECLINE_CANCELLATION, AGREED)
          .on(REMINDED, EXTEND_DEADLINE, REMINDED)
          .on(REMINDED, CANCEL_FOR_NO_REPLY, CANCELLED)
          .build();

  public static final TransitionTable<TradeState, Timer> TIMERS =
      TransitionTable.of(TradeState.class, Timer.class)
          .on(AWAITING_REPLY, Timer.REMINDER, REMINDED)
          .on(REMINDED, Timer.REMINDER, REMINDED)
          .on(AWAITING_REPLY, Timer.SILENCE, CANCELLED, COMPLETED, AWAITING_REPLY)
          .on(REMINDED, Timer.SILENCE, CANCELLED, COMPLETED, REMINDED)
          .build();
  // @formatter:on
}
