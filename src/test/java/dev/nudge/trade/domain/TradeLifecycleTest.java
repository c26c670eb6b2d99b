package dev.nudge.trade.domain;

import static dev.nudge.trade.domain.TradeBuilders.aPolicy;
import static dev.nudge.trade.domain.TradeBuilders.aTrade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nudge.common.statemachine.ActionRefused;
import dev.nudge.trade.domain.Policy.FreeCancellation;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The trade machine as a full matrix: every situation × action × party, without Quarkus. */
class TradeLifecycleTest {

  static final String A = TradeBuilders.A;
  static final String B = TradeBuilders.B;
  static final Instant T0 = TradeBuilders.T0;

  static Policy policy(int maxReminders, FreeCancellation free) {
    return aPolicy().maxReminders(maxReminders).freeCancellationUntil(free).build();
  }

  static TradeFacts agreed() {
    return aTrade().build();
  }

  static TradeFacts act(TradeFacts t, TradeAction a, String who) {
    return TradeLifecycle.act(t, a, who, Duration.ofHours(1), null, T0).after();
  }

  static TradeFacts paid() {
    return aTrade().paid().build();
  }

  /** Named situations covering every state and awaited kind. */
  static Map<String, Supplier<TradeFacts>> situations() {
    Map<String, Supplier<TradeFacts>> s = new LinkedHashMap<>();
    s.put("agreed", () -> aTrade().build());
    s.put("awaiting reply from B", () -> aTrade().awaitingReplyFrom(B).build());
    s.put(
        "awaiting completion from B",
        () -> aTrade().after(TradeAction.CONFIRM_COMPLETION, A).build());
    s.put(
        "awaiting consent from B",
        () -> aTrade().paid().after(TradeAction.REQUEST_CANCELLATION, A).build());
    s.put("reminded once", () -> aTrade().awaitingReplyFrom(B).remindedTimes(1).build());
    s.put("reminded to the cap", () -> aTrade().awaitingReplyFrom(B).remindedTimes(2).build());
    s.put("cancelled", () -> aTrade().after(TradeAction.REQUEST_CANCELLATION, A).build());
    s.put(
        "completed",
        () ->
            aTrade()
                .after(TradeAction.CONFIRM_COMPLETION, A)
                .after(TradeAction.CONFIRM_COMPLETION, B)
                .build());
    return s;
  }

  static final List<String> MILESTONES =
      List.of("confirm_payment", "confirm_shipment", "confirm_receipt");

  static List<String> with(List<String> base, String... more) {
    List<String> out = new java.util.ArrayList<>(base);
    out.addAll(List.of(more));
    return out;
  }

  /** Expected allowed actions for A and B in each situation (order-insensitive). */
  static final Map<String, List<List<String>>> EXPECTED =
      Map.of(
          "agreed",
              List.of(
                  with(
                      List.of("request_reply"),
                      concat(MILESTONES, "confirm_completion", "request_cancellation")),
                  with(
                      List.of("request_reply"),
                      concat(MILESTONES, "confirm_completion", "request_cancellation"))),
          "awaiting reply from B",
              List.of(
                  with(MILESTONES, "confirm_completion", "request_cancellation", "extend_deadline"),
                  with(MILESTONES, "reply", "confirm_completion", "request_cancellation")),
          "awaiting completion from B",
              List.of(
                  with(MILESTONES, "request_cancellation", "extend_deadline"),
                  with(MILESTONES, "confirm_completion", "request_cancellation")),
          "awaiting consent from B",
              List.of(
                  List.of("confirm_shipment", "confirm_receipt", "extend_deadline"),
                  List.of(
                      "confirm_shipment",
                      "confirm_receipt",
                      "accept_cancellation",
                      "decline_cancellation")),
          "reminded once",
              List.of(
                  with(MILESTONES, "confirm_completion", "request_cancellation", "extend_deadline"),
                  with(MILESTONES, "reply", "confirm_completion", "request_cancellation")),
          "reminded to the cap",
              List.of(
                  with(
                      MILESTONES,
                      "confirm_completion",
                      "request_cancellation",
                      "extend_deadline",
                      "cancel_for_no_reply"),
                  with(MILESTONES, "reply", "confirm_completion", "request_cancellation")),
          "cancelled", List.of(List.of(), List.of()),
          "completed", List.of(List.of(), List.of()));

  static String[] concat(List<String> a, String... b) {
    List<String> out = new java.util.ArrayList<>(a);
    out.addAll(List.of(b));
    return out.toArray(String[]::new);
  }

  @Test
  void everySituationActionAndPartyBehavesAsTheTableSays() {
    int checked = 0;
    for (var entry : situations().entrySet()) {
      String name = entry.getKey();
      List<List<String>> expected = EXPECTED.get(name);
      for (int p = 0; p < 2; p++) {
        String party = p == 0 ? A : B;
        Set<String> allowed = Set.copyOf(expected.get(p));
        TradeFacts t = entry.getValue().get();
        assertThat(Set.copyOf(TradeLifecycle.allowedActions(t, party)))
            .as("%s, allowed for %s", name, party)
            .isEqualTo(allowed);
        for (TradeAction action : TradeAction.values()) {
          TradeFacts fresh = entry.getValue().get();
          if (allowed.contains(action.wire())) {
            TradeLifecycle.Outcome o =
                TradeLifecycle.act(fresh, action, party, Duration.ofHours(1), null, T0);
            assertThat(TradeTransitions.ACTIONS.targets(fresh.state(), action))
                .as("%s: %s by %s", name, action, party)
                .contains(o.to());
          } else {
            assertThatThrownBy(
                    () -> TradeLifecycle.act(fresh, action, party, Duration.ofHours(1), null, T0))
                .as("%s: %s by %s", name, action, party)
                .isInstanceOf(ActionRefused.class)
                .satisfies(
                    e ->
                        assertThat(Set.copyOf(((ActionRefused) e).allowedActions()))
                            .isEqualTo(allowed));
          }
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(situations().size() * 2 * TradeAction.values().length);
  }

  @Test
  void requestReplyWaitsOnTheOtherPartyForTheReplyWindow() {
    TradeFacts t = act(agreed(), TradeAction.REQUEST_REPLY, A);
    assertThat(t.state()).isEqualTo(TradeState.AWAITING_REPLY);
    assertThat(t.awaiting().partyId()).isEqualTo(B);
    assertThat(t.awaiting().kind()).isEqualTo(AwaitKind.REPLY);
    assertThat(t.awaiting().dueAt()).isEqualTo(T0.plus(Duration.ofDays(3)));
    assertThat(t.reminders().nextAt()).isEqualTo(t.awaiting().dueAt());
  }

  @Test
  void replyReturnsToAgreedAndClearsCounters() {
    TradeFacts t = TradeTimers.remind(act(agreed(), TradeAction.REQUEST_REPLY, A), T0).after();
    assertThat(t.reminders().sent()).isEqualTo(1);
    TradeFacts replied = act(t, TradeAction.REPLY, B);
    assertThat(replied.state()).isEqualTo(TradeState.AGREED);
    assertThat(replied.awaiting()).isNull();
    assertThat(replied.reminders().sent()).isZero();
    assertThat(TradeTimers.nextAt(replied)).isEmpty();
  }

  @Test
  void aMilestoneFromTheAwaitedPartyCountsAsReplyButNotFromTheOther() {
    TradeFacts waiting = act(agreed(), TradeAction.REQUEST_REPLY, A);
    TradeFacts byB = act(waiting, TradeAction.CONFIRM_SHIPMENT, B);
    assertThat(byB.state()).isEqualTo(TradeState.AGREED);
    assertThat(byB.milestones().shipmentConfirmedAt()).isEqualTo(T0);
    TradeFacts byA = act(waiting, TradeAction.CONFIRM_PAYMENT, A);
    assertThat(byA.state()).isEqualTo(TradeState.AWAITING_REPLY);
    assertThat(byA.milestones().paymentConfirmedAt()).isEqualTo(T0);
  }

  @Test
  void bothCompletionsComplete() {
    TradeFacts one = act(agreed(), TradeAction.CONFIRM_COMPLETION, A);
    assertThat(one.state()).isEqualTo(TradeState.AWAITING_REPLY);
    assertThat(one.awaiting().kind()).isEqualTo(AwaitKind.COMPLETION_CONFIRMATION);
    TradeFacts both = act(one, TradeAction.CONFIRM_COMPLETION, B);
    assertThat(both.state()).isEqualTo(TradeState.COMPLETED);
    assertThat(both.completedAt()).isEqualTo(T0);
    assertThat(both.completions().initiator()).isEqualTo(T0);
    assertThat(both.completions().counterparty()).isEqualTo(T0);
  }

  @Test
  void cancellationIsFreeBeforeTheMilestoneAndNeedsConsentAfter() {
    TradeFacts free = act(agreed(), TradeAction.REQUEST_CANCELLATION, B);
    assertThat(free.state()).isEqualTo(TradeState.CANCELLED);
    assertThat(free.cancellation().reason()).isEqualTo("withdrawn");
    assertThat(free.cancellation().byPartyId()).isEqualTo(B);

    TradeFacts asked = act(paid(), TradeAction.REQUEST_CANCELLATION, A);
    assertThat(asked.awaiting().kind()).isEqualTo(AwaitKind.CANCELLATION_CONSENT);
    TradeFacts accepted = act(asked, TradeAction.ACCEPT_CANCELLATION, B);
    assertThat(accepted.state()).isEqualTo(TradeState.CANCELLED);
    assertThat(accepted.cancellation().reason()).isEqualTo("mutual");
    assertThat(act(asked, TradeAction.DECLINE_CANCELLATION, B).state())
        .isEqualTo(TradeState.AGREED);
  }

  @Test
  void freeCancellationMilestones() {
    for (FreeCancellation f : FreeCancellation.values()) {
      TradeFacts t = TradeFacts.agreed(A, B, policy(2, f));
      TradeFacts shipped =
          act(act(t, TradeAction.CONFIRM_PAYMENT, A), TradeAction.CONFIRM_SHIPMENT, B);
      boolean freeAtStart = f != FreeCancellation.NEVER;
      boolean freeAfterShipment = f == FreeCancellation.ALWAYS;
      assertThat(TradeLifecycle.freeCancellation(t)).as("%s at start", f).isEqualTo(freeAtStart);
      assertThat(TradeLifecycle.freeCancellation(shipped))
          .as("%s after shipment", f)
          .isEqualTo(freeAfterShipment);
    }
  }

  @Test
  void extendDeadlinePushesDueAndNextReminderButKeepsTheCount() {
    TradeFacts t = TradeTimers.remind(act(agreed(), TradeAction.REQUEST_REPLY, A), T0).after();
    TradeFacts extended =
        TradeLifecycle.act(t, TradeAction.EXTEND_DEADLINE, A, Duration.ofDays(1), null, T0).after();
    assertThat(extended.awaiting().dueAt())
        .isEqualTo(t.awaiting().dueAt().plus(Duration.ofDays(1)));
    assertThat(extended.reminders().nextAt())
        .isEqualTo(t.reminders().nextAt().plus(Duration.ofDays(1)));
    assertThat(extended.reminders().sent()).isEqualTo(1);
  }

  @Test
  void cancelForNoReplyNeedsEveryReminderSent() {
    TradeFacts t = act(agreed(), TradeAction.REQUEST_REPLY, A);
    t = TradeTimers.remind(t, T0).after();
    t = TradeTimers.remind(t, T0.plus(Duration.ofDays(2))).after();
    TradeFacts cancelled = act(t, TradeAction.CANCEL_FOR_NO_REPLY, A);
    assertThat(cancelled.cancellation().reason()).isEqualTo("no_reply");
    assertThat(cancelled.cancellation().automatic()).isFalse();
  }

  @Test
  void actionNamesMatchTheSpec() {
    assertThat(
            Arrays.stream(TradeAction.values()).map(TradeAction::wire).collect(Collectors.toList()))
        .containsExactly(
            "request_reply",
            "reply",
            "confirm_payment",
            "confirm_shipment",
            "confirm_receipt",
            "confirm_completion",
            "request_cancellation",
            "accept_cancellation",
            "decline_cancellation",
            "extend_deadline",
            "cancel_for_no_reply");
  }
}
