package dev.nudge.common.http;

import dev.nudge.common.problem.ProblemMapper;
import dev.nudge.common.problem.ProblemType;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses request bodies over the API limit (64 KiB) before they are read, with a problem+json
 * answer; bodies sent without a Content-Length are counted by {@link RequestBodyFilter}.
 */
@ApplicationScoped
public class BodySizeLimit {

  private final long maxBytes;
  private final ProblemMapper problems;

  public BodySizeLimit(
      @ConfigProperty(name = "nudge.http.max-body-bytes") long maxBytes, ProblemMapper problems) {
    this.maxBytes = maxBytes;
    this.problems = problems;
  }

  public long maxBytes() {
    return maxBytes;
  }

  void register(@Observes Router router) {
    router
        .route()
        .order(-1000)
        .handler(
            ctx -> {
              String length = ctx.request().getHeader("Content-Length");
              if (length != null && tooLarge(length)) {
                ctx.response()
                    .setStatusCode(413)
                    .putHeader("Content-Type", ProblemMapper.PROBLEM_JSON)
                    .putHeader("Connection", "close")
                    .end(
                        problems.body(
                            ProblemType.PAYLOAD_TOO_LARGE,
                            detail(),
                            Map.of("limitBytes", maxBytes),
                            ctx.request().path()));
                return;
              }
              ctx.next();
            });
  }

  public String detail() {
    return "Request bodies are limited to " + maxBytes + " bytes.";
  }

  private boolean tooLarge(String length) {
    try {
      return Long.parseLong(length.trim()) > maxBytes;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
