package dev.nudge.common.paging;

import dev.nudge.common.problem.ApiProblem;

/** {@code ?limit=} (1–200, default 50) and {@code ?cursor=} of a list request, validated. */
public record PageRequest(int limit, String after) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;

  public static PageRequest of(String limit, String cursor) {
    int n = DEFAULT_LIMIT;
    if (limit != null && !limit.isEmpty()) {
      try {
        n = Integer.parseInt(limit);
      } catch (NumberFormatException e) {
        throw ApiProblem.validation("limit", "must be an integer from 1 to " + MAX_LIMIT);
      }
      if (n < 1 || n > MAX_LIMIT) {
        throw ApiProblem.validation("limit", "must be an integer from 1 to " + MAX_LIMIT);
      }
    }
    return new PageRequest(n, Cursor.decode(cursor));
  }
}
