package dev.nudge.common.statemachine;

import java.util.List;

/**
 * An action that a machine does not allow this actor now: a client error (409), never a bug. Any
 * state machine throws it; the problem mapper turns it into {@code illegal-transition} with the
 * state, the action and what the actor may do instead.
 *
 * @param state the subject's state, as clients see it
 * @param action the refused action, as clients named it
 * @param allowedActions what the actor may do now, in table order
 */
public class ActionRefused extends RuntimeException {

  private final String state;
  private final String action;
  private final List<String> allowedActions;

  public ActionRefused(String state, String action, String reason, List<String> allowedActions) {
    super(reason, null, false, false);
    this.state = state;
    this.action = action;
    this.allowedActions = List.copyOf(allowedActions);
  }

  public String state() {
    return state;
  }

  public String action() {
    return action;
  }

  public List<String> allowedActions() {
    return allowedActions;
  }
}
