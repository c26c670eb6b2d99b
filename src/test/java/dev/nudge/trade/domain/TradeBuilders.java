package dev.nudge.trade.domain;

import dev.nudge.trade.domain.Policy.FreeCancellation;
import dev.nudge.trade.domain.Policy.OnSilence;
import dev.nudge.trade.domain.Policy.SilenceRule;
import java.time.Duration;
import java.time.Instant;

/**
 * Trades and policies for domain tests, built the way the spec tells them: {@code
 * aTrade().awaitingReplyFrom(B).remindedTimes(2).build()}. Everything happens from {@link #T0}
 * between {@link #A} (the initiator) and {@link #B}.
 */
final class TradeBuilders {

  static final String A = "pty_a";
  static final String B = "pty_b";
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private TradeBuilders() {}

  static PolicyBuilder aPolicy() {
    return new PolicyBuilder();
  }

  static TradeBuilder aTrade() {
    return new TradeBuilder();
  }

  /** The SPEC's default policy, each value overridable. */
  static final class PolicyBuilder {
    private int maxReminders = 2;
    private SilenceRule onReplySilence = SilenceRule.CANCEL;
    private FreeCancellation free = FreeCancellation.PAYMENT;
    private Duration finalGrace = Duration.ofDays(1);

    PolicyBuilder maxReminders(int max) {
      this.maxReminders = max;
      return this;
    }

    PolicyBuilder onReplySilence(SilenceRule rule) {
      this.onReplySilence = rule;
      return this;
    }

    PolicyBuilder freeCancellationUntil(FreeCancellation free) {
      this.free = free;
      return this;
    }

    PolicyBuilder finalGrace(Duration grace) {
      this.finalGrace = grace;
      return this;
    }

    Policy build() {
      return new Policy(
          "pol_1",
          "Test",
          Duration.ofDays(3),
          Duration.ofDays(2),
          maxReminders,
          Duration.ofHours(12),
          finalGrace,
          new OnSilence(onReplySilence, SilenceRule.COMPLETE, SilenceRule.CANCEL),
          free);
    }
  }

  /** An agreed trade, moved on by actions and timers as the lifecycle itself moves it. */
  static final class TradeBuilder {
    private Policy policy = aPolicy().build();
    private TradeFacts t;

    TradeBuilder under(PolicyBuilder p) {
      this.policy = p.build();
      return this;
    }

    private TradeFacts current() {
      if (t == null) {
        t = TradeFacts.agreed(A, B, policy);
      }
      return t;
    }

    /** {@code who} does {@code action} at {@link #T0}. */
    TradeBuilder after(TradeAction action, String who) {
      t = TradeLifecycle.act(current(), action, who, Duration.ofHours(1), null, T0).after();
      return this;
    }

    TradeBuilder paid() {
      return after(TradeAction.CONFIRM_PAYMENT, A);
    }

    /** The other party asked {@code party} for a reply at {@link #T0}. */
    TradeBuilder awaitingReplyFrom(String party) {
      return after(TradeAction.REQUEST_REPLY, party.equals(A) ? B : A);
    }

    /** Each reminder the scheduler sends when it falls due, {@code times} times. */
    TradeBuilder remindedTimes(int times) {
      for (int i = 0; i < times; i++) {
        t = TradeTimers.remind(current(), TradeTimers.nextAt(current()).orElseThrow()).after();
      }
      return this;
    }

    TradeFacts build() {
      return current();
    }
  }
}
