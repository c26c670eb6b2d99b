package dev.nudge.common.idempotency;

import dev.nudge.common.problem.ProblemType;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which answers an {@code Idempotency-Key} keeps, by Stripe's rule: an answer is saved, and
 * replayed to every retry with the key, once the endpoint began executing the request.
 *
 * <p>That is a success, or the action itself refused by the rules it runs under: the trade's state
 * ({@code illegal-transition}), the reminder cap ({@code reminder-cap-reached}), strict-mode
 * warnings (422 {@code unprocessable}). A retry must get that same refusal, not act later on a
 * state the client never saw.
 *
 * <p>A request refused before it executed saves nothing, so its key stays free for a retry: invalid
 * input (400), a credential that may not do this (401, 403), a resource that does not exist (404),
 * a failed {@code If-Match} (412), a body too large or of another type (413, 415), a reminder asked
 * for too soon (429: the client retries after {@code Retry-After} with the same key and needs a
 * real answer then), a write that lost a race with a concurrent one (409 {@code version-conflict},
 * which says "retry the request"), the database unavailable (503) and any other 5xx. Any status not
 * named here is treated as such a refusal: freeing a key can only make a retry run again, which a
 * request that did not execute allows.
 */
final class SavedAnswers {

  private static final Set<ProblemType> ACTION_REFUSALS =
      EnumSet.of(
          ProblemType.ILLEGAL_TRANSITION,
          ProblemType.REMINDER_CAP_REACHED,
          ProblemType.UNPROCESSABLE);

  private SavedAnswers() {}

  /**
   * True when the answer with {@code status} and problem {@code type} (its URI, null for an answer
   * that is no problem document) is kept for retries.
   */
  static boolean saved(int status, String type) {
    if (status < 400) {
      return true;
    }
    if (status >= 500 || type == null) {
      return false;
    }
    return ACTION_REFUSALS.stream().anyMatch(t -> t.status() == status && t.uri().equals(type));
  }
}
