package dev.nudge.common.statemachine;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A state machine written as one table: for each (state, trigger) the states it may lead to. Pure
 * Java: the domain packages use it, frameworks never see it.
 */
public final class TransitionTable<S extends Enum<S>, T extends Enum<T>> {

  private final Class<S> states;
  private final Map<S, Map<T, Set<S>>> rows;

  private TransitionTable(Class<S> states, Map<S, Map<T, Set<S>>> rows) {
    this.states = states;
    this.rows = rows;
  }

  public static <S extends Enum<S>, T extends Enum<T>> Builder<S, T> of(
      Class<S> states, Class<T> triggers) {
    return new Builder<>(states, triggers);
  }

  /** Whether {@code trigger} may happen at all in {@code from}. */
  public boolean allows(S from, T trigger) {
    return !targets(from, trigger).isEmpty();
  }

  public Set<S> targets(S from, T trigger) {
    return rows.getOrDefault(from, Map.of()).getOrDefault(trigger, Set.of());
  }

  /** Throws unless the table lists {@code from --trigger--> to}. */
  public S check(S from, T trigger, S to) {
    if (!targets(from, trigger).contains(to)) {
      throw new IllegalStateChange(from, trigger, to);
    }
    return to;
  }

  public Set<S> states() {
    return EnumSet.allOf(states);
  }

  /** One row of the table: {@code from --trigger--> to}. */
  public record Entry<S, T>(S from, T trigger, S to) {}

  /** Every row, by state, trigger and target state in declaration order of the enums. */
  public java.util.List<Entry<S, T>> entries() {
    java.util.List<Entry<S, T>> out = new java.util.ArrayList<>();
    rows.forEach(
        (from, row) ->
            row.forEach(
                (trigger, targets) ->
                    targets.forEach(to -> out.add(new Entry<>(from, trigger, to)))));
    return out;
  }

  public static final class Builder<S extends Enum<S>, T extends Enum<T>> {
    private final Class<S> states;
    private final Class<T> triggers;
    private final Map<S, Map<T, Set<S>>> rows;

    private Builder(Class<S> states, Class<T> triggers) {
      this.states = states;
      this.triggers = triggers;
      this.rows = new EnumMap<>(states);
    }

    @SafeVarargs
    public final Builder<S, T> on(S from, T trigger, S... to) {
      rows.computeIfAbsent(from, s -> new EnumMap<>(triggers))
          .computeIfAbsent(trigger, t -> EnumSet.noneOf(states))
          .addAll(Set.of(to));
      return this;
    }

    public TransitionTable<S, T> build() {
      Map<S, Map<T, Set<S>>> frozen = new EnumMap<>(states);
      rows.forEach(
          (from, row) -> {
            Map<T, Set<S>> r = new EnumMap<>(triggers);
            row.forEach((t, to) -> r.put(t, Collections.unmodifiableSet(EnumSet.copyOf(to))));
            frozen.put(from, Collections.unmodifiableMap(r));
          });
      return new TransitionTable<>(states, Collections.unmodifiableMap(frozen));
    }
  }
}
