package dev.nudge.trade;

import dev.nudge.common.statemachine.DescribedMachine;
import dev.nudge.common.statemachine.MachineDescription;
import dev.nudge.trade.domain.TradeAction;
import dev.nudge.trade.domain.TradeState;
import dev.nudge.trade.domain.TradeTransitions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/** The trade machine's tables as data. */
@ApplicationScoped
public class TradeMachine implements DescribedMachine {

  private static final MachineDescription DESCRIPTION =
      MachineDescription.of(
          "trade",
          TradeTransitions.ACTIONS,
          TradeAction::wire,
          TradeTransitions::who,
          TradeTransitions.TIMERS,
          t -> t.name().toLowerCase(Locale.ROOT),
          TradeTransitions::when,
          TradeState::wire,
          TradeState::terminal);

  @Override
  public MachineDescription describe() {
    return DESCRIPTION;
  }
}
