package dev.nudge.trade.domain;

import static dev.nudge.trade.domain.TradeBuilders.A;
import static dev.nudge.trade.domain.TradeBuilders.B;
import static dev.nudge.trade.domain.TradeBuilders.T0;
import static dev.nudge.trade.domain.TradeBuilders.aPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nudge.trade.domain.Policy.SilenceRule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TradeTimersTest {

  static Policy policy(int max, SilenceRule reply) {
    return aPolicy().maxReminders(max).onReplySilence(reply).build();
  }

  static TradeFacts waiting(Policy p) {
    return TradeLifecycle.act(
            TradeFacts.agreed(A, B, p), TradeAction.REQUEST_REPLY, A, null, null, T0)
        .after();
  }

  /** Fires every timer due up to {@code until}, in due order, as the scheduler does. */
  static List<TradeTimers.Fired> runUntil(TradeFacts t, Instant until) {
    List<TradeTimers.Fired> fired = new ArrayList<>();
    while (true) {
      var due = TradeTimers.nextAt(t);
      if (due.isEmpty() || due.get().isAfter(until)) {
        return fired;
      }
      TradeTimers.Fired f = TradeTimers.fire(t, due.get()).orElseThrow();
      fired.add(f);
      t = f.after();
    }
  }

  @Test
  void remindersThenSilenceCancel() {
    List<TradeTimers.Fired> fired =
        runUntil(waiting(policy(2, SilenceRule.CANCEL)), T0.plus(Duration.ofDays(30)));
    assertThat(fired).hasSize(3);
    var r1 = (TradeTimers.Reminded) fired.get(0);
    var r2 = (TradeTimers.Reminded) fired.get(1);
    var s = (TradeTimers.Silenced) fired.get(2);
    assertThat(r1.at()).isEqualTo(T0.plus(Duration.ofDays(3)));
    assertThat(r1.tone()).isEqualTo(Tone.GENTLE);
    assertThat(r1.toPartyId()).isEqualTo(B);
    assertThat(r1.after().state()).isEqualTo(TradeState.REMINDED);
    assertThat(r2.at()).isEqualTo(T0.plus(Duration.ofDays(5)));
    assertThat(r2.tone()).isEqualTo(Tone.FINAL);
    assertThat(s.at()).isEqualTo(T0.plus(Duration.ofDays(6)));
    assertThat(s.after().state()).isEqualTo(TradeState.CANCELLED);
    assertThat(s.after().cancellation().automatic()).isTrue();
    assertThat(s.after().cancellation().reason()).isEqualTo("no_reply");
  }

  @Test
  void threeRemindersEscalateGentleFirmFinal() {
    List<TradeTimers.Fired> fired =
        runUntil(waiting(policy(3, SilenceRule.CANCEL)), T0.plus(Duration.ofDays(30)));
    assertThat(fired.subList(0, 3))
        .extracting(f -> ((TradeTimers.Reminded) f).tone())
        .containsExactly(Tone.GENTLE, Tone.FIRM, Tone.FINAL);
  }

  @Test
  void noRemindersMeansSilenceAtDuePlusGrace() {
    List<TradeTimers.Fired> fired =
        runUntil(waiting(policy(0, SilenceRule.CANCEL)), T0.plus(Duration.ofDays(30)));
    assertThat(fired).hasSize(1);
    assertThat(fired.get(0).after().state()).isEqualTo(TradeState.CANCELLED);
    assertThat(((TradeTimers.Silenced) fired.get(0)).at()).isEqualTo(T0.plus(Duration.ofDays(4)));
  }

  @Test
  void silenceRuleNoneFiresOnceAndKeepsTheState() {
    List<TradeTimers.Fired> fired =
        runUntil(waiting(policy(1, SilenceRule.NONE)), T0.plus(Duration.ofDays(300)));
    assertThat(fired).hasSize(2);
    TradeFacts after = fired.get(1).after();
    assertThat(after.state()).isEqualTo(TradeState.REMINDED);
    assertThat(TradeTimers.nextAt(after)).isEmpty();
  }

  @Test
  void aRepeatedFireIsANoOp() {
    TradeFacts t = waiting(policy(2, SilenceRule.CANCEL));
    TradeFacts after = TradeTimers.fire(t, T0.plus(Duration.ofDays(3))).orElseThrow().after();
    assertThat(TradeTimers.fire(after, T0.plus(Duration.ofDays(3)))).isEmpty();
    assertThat(TradeTimers.fire(t, T0.plus(Duration.ofDays(2)))).isEmpty();
  }

  @Test
  void oneLargeStepEndsLikeManySmallOnes() {
    TradeFacts start = waiting(policy(3, SilenceRule.CANCEL));
    List<TradeTimers.Fired> big = runUntil(start, T0.plus(Duration.ofDays(20)));
    TradeFacts t = start;
    List<TradeTimers.Fired> small = new ArrayList<>();
    for (int h = 1; h <= 20 * 24; h++) {
      List<TradeTimers.Fired> step = runUntil(t, T0.plus(Duration.ofHours(h)));
      small.addAll(step);
      if (!step.isEmpty()) {
        t = step.get(step.size() - 1).after();
      }
    }
    assertThat(small).isEqualTo(big);
  }
}
