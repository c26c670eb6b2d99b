package dev.nudge.trade.domain;

import static dev.nudge.trade.domain.TradeBuilders.A;
import static dev.nudge.trade.domain.TradeBuilders.B;
import static dev.nudge.trade.domain.TradeBuilders.T0;
import static dev.nudge.trade.domain.TradeBuilders.aPolicy;
import static dev.nudge.trade.domain.TradeBuilders.aTrade;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nudge.common.time.QuietHours;
import dev.nudge.trade.domain.Reminding.Hold;
import dev.nudge.trade.domain.Reminding.Send;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one reminder decision, shared by the scheduler and manual nudges. */
class RemindingTest {

  private static final QuietHours TOKYO_NIGHTS = new QuietHours("Asia/Tokyo", "22:00", "08:00");

  @Test
  void aReminderDueOutsideQuietHoursIsSentThenAndStatesNoDeadlineUntilTheLast() {
    TradeFacts t = aTrade().awaitingReplyFrom(B).build();
    Instant due = T0.plus(Duration.ofDays(3)); // 19:00 in Tokyo

    Reminding.Plan plan = Reminding.plan(t, due, TOKYO_NIGHTS);

    assertThat(plan).isInstanceOf(Send.class);
    assertThat(plan.number()).isEqualTo(1);
    assertThat(plan.tone()).isEqualTo(Tone.GENTLE);
    assertThat(plan.deadline()).isNull();
    assertThat(plan.after().reminders().sent()).isEqualTo(1);
    assertThat(plan.after().reminders().lastAt()).isEqualTo(due);
  }

  @Test
  void aReminderDueInQuietHoursIsHeldUntilTheyEndWithTheSameNumberToneAndDeadline() {
    TradeFacts t = aTrade().awaitingReplyFrom(B).remindedTimes(1).build();
    Instant due = Instant.parse("2026-11-27T14:00:00Z"); // 23:00 in Tokyo

    Reminding.Plan plan = Reminding.plan(t, due, TOKYO_NIGHTS);

    Hold hold = (Hold) plan;
    assertThat(hold.until()).isEqualTo(Instant.parse("2026-11-27T23:00:00Z")); // 08:00 Tokyo
    assertThat(hold.number()).isEqualTo(2);
    assertThat(hold.tone()).isEqualTo(Tone.FINAL);
    assertThat(hold.deadline()).isEqualTo(hold.until().plus(Duration.ofDays(1)));
    assertThat(hold.after().reminders().sent()).as("nothing sent yet").isEqualTo(1);
    assertThat(hold.after().reminders().nextAt()).isEqualTo(hold.until());
    assertThat(TradeTimers.nextAt(hold.after())).contains(hold.until());
  }

  @Test
  void withoutQuietHoursEveryReminderIsSent() {
    TradeFacts t = aTrade().awaitingReplyFrom(B).build();
    assertThat(Reminding.plan(t, Instant.parse("2026-11-27T14:00:00Z"), QuietHours.NONE))
        .isInstanceOf(Send.class);
  }

  @Test
  void nudgesAreRefusedForTheRightReason() {
    TradeFacts agreed = aTrade().build();
    TradeFacts waiting = aTrade().awaitingReplyFrom(B).build();
    TradeFacts atCap = aTrade().awaitingReplyFrom(B).remindedTimes(2).build();
    Instant now = T0.plus(Duration.ofHours(1));

    assertThat(Reminding.nudgeRefusal(agreed, A, now, false))
        .containsInstanceOf(Reminding.AwaitsNothing.class);
    assertThat(Reminding.nudgeRefusal(waiting, B, now, false))
        .containsInstanceOf(Reminding.Awaited.class);
    assertThat(Reminding.nudgeRefusal(atCap, A, T0.plus(Duration.ofDays(30)), false))
        .containsInstanceOf(Reminding.CapReached.class);
    assertThat(Reminding.nudgeRefusal(waiting, A, now, false)).isEmpty();
  }

  @Test
  void aNudgeComesNoSoonerThanTheSpacingAfterTheLastReminderOrAfterAHeldOne() {
    TradeFacts reminded =
        aTrade().under(aPolicy().maxReminders(3)).awaitingReplyFrom(B).remindedTimes(1).build();
    Instant last = reminded.reminders().lastAt();

    var tooSoon = Reminding.nudgeRefusal(reminded, A, last.plus(Duration.ofHours(11)), false);
    assertThat(tooSoon).containsInstanceOf(Reminding.TooSoon.class);
    assertThat(((Reminding.TooSoon) tooSoon.orElseThrow()).retryAt())
        .isEqualTo(last.plus(Duration.ofHours(12)));
    assertThat(Reminding.nudgeRefusal(reminded, A, last.plus(Duration.ofHours(12)), false))
        .isEmpty();

    Instant heldUntil = reminded.reminders().nextAt();
    var held = Reminding.nudgeRefusal(reminded, A, last.plus(Duration.ofHours(13)), true);
    assertThat(((Reminding.TooSoon) held.orElseThrow()).retryAt())
        .isEqualTo(heldUntil.plus(Duration.ofHours(12)));
  }
}
