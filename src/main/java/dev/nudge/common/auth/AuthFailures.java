package dev.nudge.common.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.problem.ProblemMapper;
import dev.nudge.common.problem.ProblemType;
import io.quarkus.security.AuthenticationFailedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;

/**
 * A credential that fails before any resource is reached (unknown, revoked, expired, malformed)
 * answers a problem+json 401 like every other error, not an empty challenge; a credential store
 * that does not answer is a 503.
 */
@ApplicationScoped
public class AuthFailures {

  private final ProblemMapper problems;

  public AuthFailures(ObjectMapper json) {
    this.problems = new ProblemMapper(json);
  }

  void register(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof AuthenticationFailedException e) {
      String detail =
          e.getMessage() == null || e.getMessage().isBlank()
              ? "The API key or token is not valid."
              : e.getMessage();
      write(ctx, ProblemType.UNAUTHORIZED, detail, "WWW-Authenticate");
    } else if (failure instanceof KeyIdentityProvider.CredentialStoreUnavailable
        || failure != null
            && failure.getCause() instanceof KeyIdentityProvider.CredentialStoreUnavailable) {
      dev.nudge.common.db.DatabaseUnavailable.refused(failure);
      write(ctx, ProblemType.UNAVAILABLE, "The database is not reachable; retry later.", null);
    } else {
      ctx.next();
    }
  }

  private void write(RoutingContext ctx, ProblemType type, String detail, String challenge) {
    if (ctx.response().ended()) {
      return;
    }
    if (challenge != null) {
      ctx.response().putHeader(challenge, BearerAuthMechanism.CHALLENGE);
    }
    if (type == ProblemType.UNAVAILABLE) {
      ctx.response().putHeader("Retry-After", "5");
    }
    ctx.response()
        .setStatusCode(type.status())
        .putHeader("Content-Type", ProblemMapper.PROBLEM_JSON)
        .end(problems.body(type, detail, Map.of(), ctx.normalizedPath()));
  }
}
