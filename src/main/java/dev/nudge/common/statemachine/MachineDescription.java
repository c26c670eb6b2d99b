package dev.nudge.common.statemachine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A state machine as data, for clients that draw it or grey out buttons without copying its rules
 * ({@code GET /v1/state-machines/{name}}), and for the README's diagrams, which are rendered from
 * it.
 */
public record MachineDescription(
    String name,
    List<String> states,
    List<String> terminal,
    List<Transition> transitions,
    List<Timer> timers) {

  /** An action that may move {@code from} to {@code to}, and who may take it. */
  public record Transition(String from, String action, String to, String who) {}

  /** A timer that may move {@code from} to {@code to}, and when it fires. */
  public record Timer(String from, String timer, String to, String when) {}

  /** Describes a machine from its two tables; the first state is where every subject starts. */
  public static <S extends Enum<S>, A extends Enum<A>, T extends Enum<T>> MachineDescription of(
      String name,
      TransitionTable<S, A> actions,
      Function<A, String> actionName,
      Function<A, String> who,
      TransitionTable<S, T> timers,
      Function<T, String> timerName,
      Function<T, String> when,
      Function<S, String> stateName,
      Predicate<S> terminal) {
    List<String> states = new ArrayList<>();
    List<String> ends = new ArrayList<>();
    for (S s : actions.states()) {
      states.add(stateName.apply(s));
      if (terminal.test(s)) {
        ends.add(stateName.apply(s));
      }
    }
    List<Transition> transitions = new ArrayList<>();
    for (var e : actions.entries()) {
      transitions.add(
          new Transition(
              stateName.apply(e.from()),
              actionName.apply(e.trigger()),
              stateName.apply(e.to()),
              who.apply(e.trigger())));
    }
    List<Timer> fired = new ArrayList<>();
    for (var e : timers.entries()) {
      fired.add(
          new Timer(
              stateName.apply(e.from()),
              timerName.apply(e.trigger()),
              stateName.apply(e.to()),
              when.apply(e.trigger())));
    }
    return new MachineDescription(name, states, ends, transitions, fired);
  }

  /**
   * The machine as a Mermaid state diagram: one arrow per pair of states, labelled with the actions
   * and timers between them. Actions that keep the state are left out (they are in the tables);
   * timers that keep it are drawn.
   */
  public String mermaid() {
    Map<String, List<String>> arrows = new LinkedHashMap<>();
    for (Transition t : transitions) {
      if (!t.from().equals(t.to())) {
        add(arrows, t.from(), t.to(), t.action());
      }
    }
    for (Timer t : timers) {
      add(arrows, t.from(), t.to(), t.timer() + " (timer)");
    }
    StringBuilder out = new StringBuilder("stateDiagram-v2\n");
    out.append("    [*] --> ").append(states.get(0)).append('\n');
    arrows.forEach(
        (pair, labels) ->
            out.append("    ")
                .append(pair)
                .append(": ")
                .append(String.join(" / ", labels))
                .append('\n'));
    for (String end : terminal) {
      out.append("    ").append(end).append(" --> [*]\n");
    }
    return out.toString();
  }

  private static void add(Map<String, List<String>> arrows, String from, String to, String label) {
    List<String> labels = arrows.computeIfAbsent(from + " --> " + to, k -> new ArrayList<>());
    if (!labels.contains(label)) {
      labels.add(label);
    }
  }
}
