package dev.nudge.complaint.domain;

import static dev.nudge.complaint.domain.ComplaintBuilders.T0;
import static dev.nudge.complaint.domain.ComplaintBuilders.aComplaint;
import static dev.nudge.complaint.domain.ComplaintBuilders.minutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nudge.common.statemachine.ActionRefused;
import dev.nudge.complaint.domain.ComplaintLifecycle.Params;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The complaint machine as a full matrix: every situation × action, without Quarkus. */
class ComplaintLifecycleTest {

  static Map<String, Supplier<ComplaintFacts>> situations() {
    Map<String, Supplier<ComplaintFacts>> s = new LinkedHashMap<>();
    s.put("open", () -> aComplaint().build());
    s.put("open, private", () -> aComplaint().privateCase().build());
    s.put("open, paused", () -> aComplaint().then(ComplaintAction.PAUSE_SLA, minutes(1)).build());
    s.put("acknowledged", () -> aComplaint().respondedAfter(minutes(10)).build());
    s.put(
        "acknowledged, customer waiting",
        () ->
            aComplaint()
                .respondedAfter(minutes(10))
                .then(ComplaintAction.CUSTOMER_MESSAGE, minutes(5))
                .build());
    s.put(
        "solution proposed",
        () ->
            aComplaint()
                .respondedAfter(minutes(10))
                .then(ComplaintAction.PROPOSE_SOLUTION, minutes(5))
                .build());
    s.put(
        "resolved",
        () -> aComplaint().respondedAfter(minutes(10)).resolvedAfter(minutes(5)).build());
    s.put("closed", () -> aComplaint().closed().build());
    return s;
  }

  /** What support may do in each situation (order-insensitive). */
  static final Map<String, Set<String>> EXPECTED =
      Map.of(
          "open",
              Set.of(
                  "respond",
                  "customer_message",
                  "move_to_private",
                  "escalate",
                  "assign",
                  "pause_sla"),
          "open, private", Set.of("respond", "customer_message", "escalate", "assign", "pause_sla"),
          "open, paused",
              Set.of(
                  "respond",
                  "customer_message",
                  "move_to_private",
                  "escalate",
                  "assign",
                  "resume_sla"),
          "acknowledged",
              Set.of(
                  "respond",
                  "customer_message",
                  "move_to_private",
                  "propose_solution",
                  "resolve",
                  "escalate",
                  "assign"),
          "acknowledged, customer waiting",
              Set.of(
                  "respond",
                  "customer_message",
                  "move_to_private",
                  "propose_solution",
                  "resolve",
                  "escalate",
                  "assign",
                  "pause_sla"),
          "solution proposed",
              Set.of(
                  "respond",
                  "customer_message",
                  "move_to_private",
                  "propose_solution",
                  "resolve",
                  "escalate",
                  "assign"),
          "resolved",
              Set.of(
                  "respond",
                  "customer_message",
                  "move_to_private",
                  "record_follow_up",
                  "reopen",
                  "assign",
                  "pause_sla"),
          "closed", Set.of("respond", "customer_message", "reopen"));

  @Test
  void everyActionInEverySituationIsAllowedExactlyWhenListedAndMovesAsTheTableSays() {
    for (var situation : situations().entrySet()) {
      ComplaintFacts f = situation.getValue().get();
      assertThat(Set.copyOf(ComplaintLifecycle.allowedActions(f)))
          .as(situation.getKey())
          .isEqualTo(EXPECTED.get(situation.getKey()));
      for (ComplaintAction a : ComplaintAction.values()) {
        Params p = new Params("agent-7", true);
        Instant at = T0.plus(Duration.ofDays(1));
        if (EXPECTED.get(situation.getKey()).contains(a.wire())) {
          var o = ComplaintLifecycle.act(f, a, p, at);
          assertThat(ComplaintTransitions.ACTIONS.targets(f.state(), a))
              .as("%s: %s", situation.getKey(), a)
              .contains(o.to());
        } else {
          assertThatThrownBy(() -> ComplaintLifecycle.act(f, a, p, at))
              .as("%s: %s", situation.getKey(), a)
              .isInstanceOf(ActionRefused.class)
              .satisfies(
                  e ->
                      assertThat(Set.copyOf(((ActionRefused) e).allowedActions()))
                          .isEqualTo(EXPECTED.get(situation.getKey())));
        }
      }
    }
  }

  @Test
  void theFirstResponseAcknowledgesAndStopsTheFirstResponseClock() {
    ComplaintFacts f = aComplaint().respondedAfter(minutes(20)).build();
    assertThat(f.state()).isEqualTo(ComplaintState.ACKNOWLEDGED);
    assertThat(f.firstResponse().respondedAt()).isEqualTo(T0.plus(minutes(20)));
    assertThat(ComplaintTimers.nextAt(f)).isEmpty();
  }

  @Test
  void aCustomerMessageAfterTheAnswerStartsTheNextReplyClockWhichTheNextResponseStops() {
    var b =
        aComplaint()
            .respondedAfter(minutes(20))
            .then(ComplaintAction.CUSTOMER_MESSAGE, minutes(30));
    ComplaintFacts waiting = b.build();
    assertThat(waiting.nextReply().since()).isEqualTo(T0.plus(minutes(50)));
    assertThat(waiting.nextReply().targetAt()).isEqualTo(T0.plus(minutes(110)));
    assertThat(waiting.nextReply().dueAt())
        .isEqualTo(T0.plus(minutes(50)).plus(Duration.ofHours(24)));

    // A second message before the answer: still owed since the first.
    ComplaintFacts again = b.then(ComplaintAction.CUSTOMER_MESSAGE, minutes(10)).build();
    assertThat(again.nextReply().since()).isEqualTo(T0.plus(minutes(50)));

    ComplaintFacts answered = b.respondedAfter(minutes(5)).build();
    assertThat(answered.nextReply()).isNull();
  }

  @Test
  void aMessageBeforeTheFirstAnswerLeavesTheFirstResponseClockAsItIs() {
    ComplaintFacts f = aComplaint().then(ComplaintAction.CUSTOMER_MESSAGE, minutes(5)).build();
    assertThat(f.nextReply()).isNull();
    assertThat(f.firstResponse().targetAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
  }

  @Test
  void resumeShiftsEveryRunningClockByExactlyThePausedTime() {
    var b =
        aComplaint()
            .then(ComplaintAction.PAUSE_SLA, minutes(10))
            .then(ComplaintAction.RESUME_SLA, minutes(45));
    ComplaintFacts f = b.build();
    assertThat(f.pausedSince()).isNull();
    assertThat(f.firstResponse().targetAt())
        .isEqualTo(T0.plus(Duration.ofHours(1)).plus(minutes(45)));
    assertThat(f.firstResponse().dueAt())
        .isEqualTo(T0.plus(Duration.ofHours(24)).plus(minutes(45)));

    ComplaintFacts resolved =
        aComplaint()
            .respondedAfter(minutes(5))
            .resolvedAfter(minutes(5))
            .then(ComplaintAction.PAUSE_SLA, Duration.ofHours(1))
            .then(ComplaintAction.RESUME_SLA, Duration.ofHours(2))
            .build();
    assertThat(resolved.followUp().dueAt())
        .isEqualTo(T0.plus(minutes(10)).plus(Duration.ofDays(3)).plus(Duration.ofHours(2)));
  }

  @Test
  void aClockStartedDuringThePauseShiftsOnlyByThePartAfterItStarted() {
    // Resolved, so the follow-up clock runs and the SLA can be paused.
    ComplaintFacts f =
        aComplaint()
            .respondedAfter(minutes(5))
            .resolvedAfter(minutes(5))
            .then(ComplaintAction.PAUSE_SLA, minutes(5))
            .then(ComplaintAction.CUSTOMER_MESSAGE, minutes(20))
            .then(ComplaintAction.RESUME_SLA, minutes(30))
            .build();
    Instant since = T0.plus(minutes(35));
    assertThat(f.nextReply().targetAt())
        .isEqualTo(since.plus(Duration.ofHours(1)).plus(minutes(30)));
  }

  @Test
  void followUpClosesWhenSatisfiedAndReopensWhenNot() {
    var resolved = aComplaint().respondedAfter(minutes(5)).resolvedAfter(minutes(5));
    assertThat(
            resolved
                .then(ComplaintAction.RECORD_FOLLOW_UP, minutes(5), new Params(null, false))
                .build()
                .state())
        .isEqualTo(ComplaintState.ACKNOWLEDGED);
    assertThat(aComplaint().closed().build().state()).isEqualTo(ComplaintState.CLOSED);
    ComplaintFacts reopened =
        aComplaint().closed().then(ComplaintAction.REOPEN, minutes(5)).build();
    assertThat(reopened.state()).isEqualTo(ComplaintState.ACKNOWLEDGED);
    assertThat(reopened.followUp()).isNull();
  }

  @Test
  void escalateRaisesTheLevelAndAssignSetsTheAssignee() {
    ComplaintFacts f =
        aComplaint()
            .then(ComplaintAction.ESCALATE, minutes(1))
            .then(ComplaintAction.ASSIGN, minutes(1), new Params("agent-7", null))
            .build();
    assertThat(f.escalationLevel()).isEqualTo(1);
    assertThat(f.assignee()).isEqualTo("agent-7");
    assertThat(List.of(f.state())).containsExactly(ComplaintState.OPEN);
  }

  @Test
  void termsWhoseTargetComesAfterTheDeadlineAreRefused() {
    SlaTerms t =
        new SlaTerms(
            Duration.ofHours(2),
            Duration.ofHours(1),
            Duration.ofHours(3),
            Duration.ofHours(1),
            Duration.ofDays(3));
    assertThat(t.problems())
        .extracting(SlaTerms.Problem::field)
        .containsExactly("firstResponseTarget", "nextReplyTarget");
    assertThat(SlaTerms.defaults(Severity.CRITICAL).problems()).isEmpty();
    assertThat(SlaTerms.defaults(Severity.CRITICAL).firstResponseTarget()).isEqualTo(minutes(15));
    assertThat(SlaTerms.defaults(Severity.LOW).firstResponseDeadline())
        .isEqualTo(Duration.ofHours(24));
  }
}
