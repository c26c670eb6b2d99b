package dev.nudge.common.statemachine;

/** A state change the machine's table does not list: a bug in a guard, never a client error. */
public class IllegalStateChange extends IllegalStateException {

  public IllegalStateChange(Enum<?> from, Enum<?> trigger, Enum<?> to) {
    super("No transition " + from + " --" + trigger + "--> " + to);
  }
}
