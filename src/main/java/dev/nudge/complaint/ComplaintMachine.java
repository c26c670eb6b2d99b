package dev.nudge.complaint;

import dev.nudge.common.statemachine.DescribedMachine;
import dev.nudge.common.statemachine.MachineDescription;
import dev.nudge.complaint.domain.ComplaintAction;
import dev.nudge.complaint.domain.ComplaintState;
import dev.nudge.complaint.domain.ComplaintTransitions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/** The complaint machine's tables as data. A closed case may be reopened: none is terminal. */
@ApplicationScoped
public class ComplaintMachine implements DescribedMachine {

  private static final MachineDescription DESCRIPTION =
      MachineDescription.of(
          "complaint",
          ComplaintTransitions.ACTIONS,
          ComplaintAction::wire,
          ComplaintTransitions::who,
          ComplaintTransitions.TIMERS,
          t -> t.name().toLowerCase(Locale.ROOT),
          ComplaintTransitions::when,
          ComplaintState::wire,
          s -> false);

  @Override
  public MachineDescription describe() {
    return DESCRIPTION;
  }
}
