package dev.nudge.common.statemachine;

/** A state machine that can describe itself; each feature provides one per machine. */
public interface DescribedMachine {
  MachineDescription describe();
}
