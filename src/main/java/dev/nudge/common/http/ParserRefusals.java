package dev.nudge.common.http;

import dev.nudge.common.problem.FieldError;
import dev.nudge.common.problem.ProblemMapper;
import dev.nudge.common.problem.ProblemType;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.quarkus.arc.Unremovable;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answers to requests the HTTP parser could not read: a control character inside a header, a
 * header line without its colon, a Content-Length given twice, a request line or header section
 * past the parser's ceilings, a chunked body that breaks its own coding. They are problem+json like
 * every other refusal, and the connection closes after them, since the bytes that follow cannot be
 * framed any more. {@link ParserHooks} routes these requests here; they never reach the router.
 *
 * <p>No refusal repeats what was sent: the parser's own message quotes the offending header value,
 * which may be a credential.
 */
@ApplicationScoped
@Unremovable // looked up by ParserHooks, not injected
public class ParserRefusals {

  /** One answer: the status and the problem document. */
  public record Answer(int status, String body) {}

  private static final FieldError REQUEST_LINE =
      new FieldError(
          "request line", "is not 'METHOD target HTTP/1.1' (RFC 9112 section 3) in visible ASCII");

  private final HeadLimits limits;
  private final ProblemMapper problems;

  public ParserRefusals(HeadLimits limits, ProblemMapper problems) {
    this.limits = limits;
    this.problems = problems;
  }

  /** Answers a request whose head the parser refused, and closes its connection. */
  void refuse(HttpServerRequest request) {
    // A request line the parser could not read leaves its placeholder target, not the client's.
    boolean lineUnread = "/bad-request".equals(request.uri());
    Answer answer =
        head(
            request.decoderResult().cause(),
            lineUnread,
            HeadLimits.instance(lineUnread ? "/" : request.uri()));
    var response = request.response();
    response
        .setStatusCode(answer.status())
        .putHeader("Content-Type", ProblemMapper.PROBLEM_JSON)
        .putHeader("Connection", "close")
        .end(answer.body())
        .onComplete(done -> response.close());
  }

  /**
   * The answer to a request head the parser refused with {@code cause}; {@code lineUnread} when it
   * could not even read the request line.
   */
  Answer head(Throwable cause, boolean lineUnread, String instance) {
    if (cause instanceof TooLongHttpLineException) {
      return answer(limits.uriTooLong(), instance);
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return answer(limits.headersTooLarge(), instance);
    }
    if (lineUnread) {
      return validation(REQUEST_LINE, instance);
    }
    return validation(headError(cause == null ? "" : String.valueOf(cause.getMessage())), instance);
  }

  /** The answer to a chunked request body the parser could not decode. */
  Answer body(String instance) {
    return validation(
        new FieldError(
            "body",
            "is not valid chunked transfer coding (a chunk size line or the end of a chunk is"
                + " malformed, RFC 9112 section 7.1)"),
        instance);
  }

  /** What is wrong with the request head, from the parser's message (Netty's and Vert.x's). */
  static FieldError headError(String message) {
    if (message.startsWith("Multiple Content-Length")) {
      return new FieldError(
          "Content-Length", "is given more than once or as a list; send it once, as one number");
    }
    if (message.startsWith("Content-Length value")) {
      return new FieldError("Content-Length", "must be one non-negative integer");
    }
    if (message.startsWith("a header value")
        || message.startsWith("only '\\n' is allowed")
        || message.startsWith("only ' ' and '\\t' are allowed")) {
      return new FieldError(
          "headers",
          "a header value holds a control character (only visible characters, spaces and tabs"
              + " are allowed, RFC 9110 section 5.5)");
    }
    if (message.startsWith("a header name")) {
      return new FieldError(
          "headers",
          "a header name holds a character that names may not hold (letters, digits and"
              + " !#$%&'*+-.^_`|~ only, RFC 9110 section 5.1)");
    }
    if (message.startsWith("Invalid separator") || message.startsWith("No colon found")) {
      return new FieldError(
          "headers",
          "a header line is not 'name: value' (no colon, or whitespace before the colon, RFC 9112"
              + " section 5)");
    }
    if (message.startsWith("Illegal character in request line")
        || message.startsWith("The HTTP method name")
        || message.startsWith("The URI contain")
        || message.startsWith("initialLine")
        || message.startsWith("Unsupported HTTP version")) {
      return REQUEST_LINE;
    }
    return new FieldError("request", "is not an HTTP/1.1 message this server can read");
  }

  private Answer validation(FieldError error, String instance) {
    Map<String, Object> ext = new LinkedHashMap<>();
    ext.put("errors", List.of(error));
    return answer(
        ProblemType.VALIDATION_FAILED, error.field() + ": " + error.message(), ext, instance);
  }

  private Answer answer(HeadLimits.Refusal refusal, String instance) {
    return answer(refusal.type(), refusal.detail(), refusal.extensions(), instance);
  }

  private Answer answer(
      ProblemType type, String detail, Map<String, Object> extensions, String instance) {
    return new Answer(type.status(), problems.body(type, detail, extensions, instance));
  }
}
