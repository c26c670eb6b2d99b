package dev.nudge.trade.domain;

import java.util.List;

/** A party asked for an action the trade does not allow them now (409 to the client). */
public class IllegalTransition extends RuntimeException {

  private final TradeState state;
  private final TradeAction action;
  private final List<String> allowedActions;

  public IllegalTransition(
      TradeState state, TradeAction action, String reason, List<String> allowedActions) {
    super(reason, null, false, false);
    this.state = state;
    this.action = action;
    this.allowedActions = allowedActions;
  }

  public TradeState state() {
    return state;
  }

  public TradeAction action() {
    return action;
  }

  public List<String> allowedActions() {
    return allowedActions;
  }
}
