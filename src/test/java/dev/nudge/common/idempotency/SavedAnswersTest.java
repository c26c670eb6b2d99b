package dev.nudge.common.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nudge.common.problem.ProblemType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The rule of which answers an Idempotency-Key keeps, for every problem type there is. */
class SavedAnswersTest {

  @Test
  void successesAreKept() {
    for (int status : new int[] {200, 201, 202, 204, 304}) {
      assertThat(SavedAnswers.saved(status, null)).as("%d", status).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = ProblemType.class,
      names = {"ILLEGAL_TRANSITION", "REMINDER_CAP_REACHED", "UNPROCESSABLE"})
  void refusalsOfTheActionItselfAreKept(ProblemType type) {
    assertThat(SavedAnswers.saved(type.status(), type.uri())).isTrue();
  }

  @ParameterizedTest
  @EnumSource(
      value = ProblemType.class,
      mode = EnumSource.Mode.EXCLUDE,
      names = {"ILLEGAL_TRANSITION", "REMINDER_CAP_REACHED", "UNPROCESSABLE"})
  void refusalsBeforeTheEndpointExecutedLeaveTheKeyFree(ProblemType type) {
    // 400, 401, 403, 404, 412, 413, 415, 429, a lost race (409 version-conflict), 503, 500...
    assertThat(SavedAnswers.saved(type.status(), type.uri())).isFalse();
  }

  @Test
  void aKnownTypeWithAnotherStatusOrNoProblemDocumentIsNotKept() {
    assertThat(SavedAnswers.saved(500, ProblemType.ILLEGAL_TRANSITION.uri())).isFalse();
    assertThat(SavedAnswers.saved(409, null)).isFalse();
    assertThat(SavedAnswers.saved(503, null)).isFalse();
    assertThat(SavedAnswers.saved(412, ProblemType.VERSION_CONFLICT.uri())).isFalse();
  }
}
