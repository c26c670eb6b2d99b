package dev.nudge.common.http;

import dev.nudge.common.problem.FieldError;
import dev.nudge.common.problem.ProblemMapper;
import dev.nudge.common.problem.ProblemType;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Errors of the HTTP layer answer problem+json like the API's own: a request target or header
 * section over the API's limits (414, 431), a path or query that is not validly percent-encoded or
 * holds control characters or characters that must be encoded (400), a missing Host, and whatever
 * the router fails with before a resource is reached. The limits here sit below the parser's hard
 * ceilings ({@code quarkus.http.limits.*}), which only a request far past them reaches.
 */
@ApplicationScoped
public class TransportProblems {

  private static final Logger LOG = Logger.getLogger(TransportProblems.class);

  private final HeadLimits limits;
  private final ProblemMapper problems;

  public TransportProblems(HeadLimits limits, ProblemMapper problems) {
    this.limits = limits;
    this.problems = problems;
  }

  void register(@Observes Router router) {
    // Quarkus's own request-target check is off (UriCheckHandover): check() makes it instead.
    router.route().order(-2000).handler(this::check);
    router.route().order(Integer.MIN_VALUE + 1).failureHandler(this::failed);
    // Failures the router raises before any route matched (a path it cannot decode).
    for (int status : new int[] {400, 404, 405, 413, 414, 415, 431, 500, 501, 503}) {
      router.errorHandler(status, this::failed);
    }
  }

  private void check(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (limits.uriTooLong(request.uri())) {
      write(ctx, limits.uriTooLong());
      return;
    }
    long headerBytes = 0;
    for (var h : request.headers()) {
      headerBytes += h.getKey().length() + h.getValue().length() + 4;
    }
    if (limits.headersTooLarge(headerBytes)) {
      write(ctx, limits.headersTooLarge());
      return;
    }
    List<FieldError> errors = malformed(request);
    FieldError coding = transferCoding(request);
    if (coding != null) {
      // The body's end cannot be found: whatever follows on the connection is not a request.
      errors.add(coding);
      ctx.response().putHeader("Connection", "close");
    }
    if (!errors.isEmpty()) {
      writeValidation(ctx, errors);
      return;
    }
    ctx.next();
  }

  /**
   * A {@code Transfer-Encoding} other than {@code chunked} alone: the parser reads a body it cannot
   * frame as empty (RFC 9112 section 6.3 says to refuse it), and a coding layered under chunked
   * (gzip) it would pass on undecoded.
   */
  private static FieldError transferCoding(HttpServerRequest request) {
    List<String> codings = request.headers().getAll("Transfer-Encoding");
    if (codings.isEmpty()) {
      return null;
    }
    String all = String.join(",", codings).trim();
    return all.equalsIgnoreCase("chunked")
        ? null
        : new FieldError(
            "Transfer-Encoding",
            "must be chunked, the only transfer coding read (or send a Content-Length instead)");
  }

  /** What is wrong with the request's path, query and Host, in the client's terms. */
  private static List<FieldError> malformed(HttpServerRequest request) {
    List<FieldError> errors = new ArrayList<>();
    String uri = request.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String problem = Percent.problem(path);
    if (problem != null) {
      errors.add(new FieldError("path", problem));
    }
    if (q >= 0) {
      for (String pair : uri.substring(q + 1).split("&", -1)) {
        int eq = pair.indexOf('=');
        String rawName = eq < 0 ? pair : pair.substring(0, eq);
        String nameProblem = Percent.problem(rawName);
        String name = nameProblem == null ? Percent.decode(rawName) : "query";
        String valueProblem = eq < 0 ? null : Percent.problem(pair.substring(eq + 1));
        if (nameProblem != null) {
          errors.add(new FieldError("query", nameProblem));
        } else if (valueProblem != null) {
          errors.add(new FieldError(name, valueProblem));
        }
      }
    }
    if (request.version() != io.vertx.core.http.HttpVersion.HTTP_1_0
        && request.authority() == null) {
      errors.add(new FieldError("Host", "is required (HTTP/1.1 requests name their host)"));
    }
    return errors;
  }

  private void failed(RoutingContext ctx) {
    if (ctx.response().ended()) {
      return;
    }
    if (ctx.response().headWritten()) {
      // A stream that already started cannot carry a problem: end it so the client sees the cut.
      ctx.response().reset();
      return;
    }
    Throwable failure = ctx.failure();
    int status = ctx.statusCode();
    if (failure instanceof HttpException h) {
      status = h.getStatusCode();
    } else if (failure instanceof AuthenticationFailedException
        || failure instanceof UnauthorizedException) {
      status = 401;
    } else if (failure instanceof ForbiddenException) {
      status = 403;
    } else if (failure != null && status < 400) {
      status = 500;
    }
    if (status < 400) {
      status = 500;
    }
    if (status == 400) {
      List<FieldError> errors = malformed(ctx.request());
      writeValidation(
          ctx, errors.isEmpty() ? List.of(new FieldError("request", "is malformed")) : errors);
      return;
    }
    ProblemType type = ProblemType.forStatus(status);
    if (type == ProblemType.INTERNAL) {
      LOG.error("Request failed in the HTTP layer", failure);
    }
    if (type == ProblemType.UNAUTHORIZED) {
      ctx.response()
          .putHeader("WWW-Authenticate", dev.nudge.common.auth.BearerAuthMechanism.CHALLENGE);
    }
    write(ctx, type, detail(type), Map.of());
  }

  private static String detail(ProblemType type) {
    return switch (type) {
      case NOT_FOUND -> "No resource at this path.";
      case METHOD_NOT_ALLOWED -> "This method is not allowed here.";
      case UNAUTHORIZED -> "Send your API key as 'Authorization: Bearer <key>'.";
      case INTERNAL -> "The request could not be completed; try again later.";
      case UNAVAILABLE -> "The service is not available; retry later.";
      default -> type.title() + ".";
    };
  }

  private void writeValidation(RoutingContext ctx, List<FieldError> errors) {
    Map<String, Object> ext = new LinkedHashMap<>();
    ext.put("errors", errors);
    String detail =
        errors.size() == 1
            ? errors.get(0).field() + ": " + errors.get(0).message()
            : errors.size() + " fields are invalid.";
    write(ctx, ProblemType.VALIDATION_FAILED, detail, ext);
  }

  private void write(RoutingContext ctx, HeadLimits.Refusal refusal) {
    write(ctx, refusal.type(), refusal.detail(), refusal.extensions());
  }

  private void write(RoutingContext ctx, ProblemType type, String detail, Map<String, Object> ext) {
    ctx.response()
        .setStatusCode(type.status())
        .putHeader("Content-Type", ProblemMapper.PROBLEM_JSON)
        .end(problems.body(type, detail, ext, HeadLimits.instance(ctx.request().uri())));
  }
}
