package dev.nudge.common.http;

import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.ProblemType;
import jakarta.ws.rs.core.EntityTag;

/** ETags are the resource's {@code version}; {@code If-Match} must name the current one. */
public final class ETags {

  private ETags() {}

  public static EntityTag of(long version) {
    return new EntityTag(Long.toString(version));
  }

  /** Throws 412 unless {@code ifMatch} is absent, {@code *}, or lists the current version. */
  public static void check(String ifMatch, long currentVersion) {
    if (ifMatch == null || ifMatch.isBlank()) {
      return;
    }
    for (String tag : ifMatch.split(",")) {
      String t = tag.trim();
      if (t.equals("*")) {
        return;
      }
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
        t = t.substring(1, t.length() - 1);
      }
      if (t.equals(Long.toString(currentVersion))) {
        return;
      }
    }
    throw new ApiProblem(
            ProblemType.PRECONDITION_FAILED,
            "If-Match does not name the current version " + currentVersion + ".")
        .with("currentVersion", currentVersion);
  }
}
