package dev.nudge.complaint.domain;

import static dev.nudge.complaint.domain.ComplaintBuilders.T0;
import static dev.nudge.complaint.domain.ComplaintBuilders.aComplaint;
import static dev.nudge.complaint.domain.ComplaintBuilders.minutes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nudge.complaint.domain.ComplaintTimers.Breached;
import dev.nudge.complaint.domain.ComplaintTimers.Fired;
import dev.nudge.complaint.domain.ComplaintTimers.FollowUpDue;
import dev.nudge.complaint.domain.ComplaintTimers.Metric;
import dev.nudge.complaint.domain.ComplaintTimers.Warned;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComplaintTimersTest {

  /** Fires every timer due up to {@code until}, in due order, as the scheduler does. */
  static List<Fired> runUntil(ComplaintFacts f, Instant until) {
    List<Fired> fired = new ArrayList<>();
    while (true) {
      var due = ComplaintTimers.nextAt(f);
      if (due.isEmpty() || due.get().isAfter(until)) {
        return fired;
      }
      Fired x = ComplaintTimers.fire(f, due.get()).orElseThrow();
      fired.add(x);
      f = x.after();
    }
  }

  @Test
  void anUnansweredCaseWarnsAtTheTargetThenBreachesAndEscalatesAtTheDeadlineOnceEach() {
    ComplaintFacts open = aComplaint().severity(Severity.HIGH).build();
    List<Fired> fired = runUntil(open, T0.plus(Duration.ofDays(10)));
    assertThat(fired).hasSize(2);
    Warned w = (Warned) fired.get(0);
    Breached b = (Breached) fired.get(1);
    assertThat(w.at()).isEqualTo(T0.plus(minutes(30)));
    assertThat(w.metric()).isEqualTo(Metric.FIRST_RESPONSE);
    assertThat(b.at()).isEqualTo(T0.plus(Duration.ofHours(4)));
    assertThat(b.after().escalationLevel()).isEqualTo(1);
    assertThat(b.after().breached()).isTrue();
    assertThat(ComplaintTimers.fire(b.after(), T0.plus(Duration.ofDays(20)))).isEmpty();
  }

  @Test
  void anAnswerInTimeFiresNothing() {
    ComplaintFacts f = aComplaint().respondedAfter(minutes(20)).build();
    assertThat(runUntil(f, T0.plus(Duration.ofDays(10)))).isEmpty();
  }

  @Test
  void theNextReplyClockWarnsAndBreachesWithItsMetric() {
    ComplaintFacts f =
        aComplaint()
            .respondedAfter(minutes(10))
            .then(ComplaintAction.CUSTOMER_MESSAGE, minutes(50))
            .build();
    List<Fired> fired = runUntil(f, T0.plus(Duration.ofDays(3)));
    assertThat(fired)
        .extracting(x -> x.getClass().getSimpleName())
        .containsExactly("Warned", "Breached");
    assertThat(((Warned) fired.get(0)).metric()).isEqualTo(Metric.NEXT_REPLY);
    assertThat(fired.get(0).at()).isEqualTo(T0.plus(minutes(60)).plus(Duration.ofHours(1)));
    assertThat(((Breached) fired.get(1)).metric()).isEqualTo(Metric.NEXT_REPLY);
  }

  @Test
  void nothingFiresWhilePausedAndAfterResumingTheShiftedTimesDo() {
    var b = aComplaint().then(ComplaintAction.PAUSE_SLA, minutes(10));
    assertThat(runUntil(b.build(), T0.plus(Duration.ofDays(30)))).isEmpty();
    ComplaintFacts resumed = b.then(ComplaintAction.RESUME_SLA, Duration.ofHours(2)).build();
    List<Fired> fired = runUntil(resumed, T0.plus(Duration.ofDays(30)));
    assertThat(fired.get(0).at()).isEqualTo(T0.plus(Duration.ofHours(1)).plus(Duration.ofHours(2)));
  }

  @Test
  void aResolvedCaseFallsDueForFollowUpOnce() {
    ComplaintFacts f = aComplaint().respondedAfter(minutes(10)).resolvedAfter(minutes(10)).build();
    List<Fired> fired = runUntil(f, T0.plus(Duration.ofDays(30)));
    assertThat(fired).hasSize(1).first().isInstanceOf(FollowUpDue.class);
    assertThat(fired.get(0).at()).isEqualTo(T0.plus(minutes(20)).plus(Duration.ofDays(3)));
    assertThat(fired.get(0).after().state()).isEqualTo(ComplaintState.RESOLVED);
  }

  @Test
  void oneLargeJumpEndsLikeManySmallOnes() {
    ComplaintFacts start =
        aComplaint()
            .severity(Severity.CRITICAL)
            .respondedAfter(Duration.ofHours(2))
            .then(ComplaintAction.CUSTOMER_MESSAGE, minutes(1))
            .build();
    ComplaintFacts big = start;
    for (Fired x : runUntil(big, T0.plus(Duration.ofDays(5)))) {
      big = x.after();
    }
    ComplaintFacts small = start;
    for (Instant t = T0; t.isBefore(T0.plus(Duration.ofDays(5))); t = t.plus(minutes(7))) {
      for (Fired x : runUntil(small, t)) {
        small = x.after();
      }
    }
    for (Fired x : runUntil(small, T0.plus(Duration.ofDays(5)))) {
      small = x.after();
    }
    assertThat(small).isEqualTo(big);
    assertThat(big.escalationLevel()).isEqualTo(1);
  }
}
