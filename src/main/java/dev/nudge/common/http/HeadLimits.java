package dev.nudge.common.http;

import dev.nudge.common.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The limits of a request's head ({@code nudge.http.max-uri-length}, {@code
 * nudge.http.max-header-bytes}) and the refusals that name them, shared by the router's check
 * ({@link TransportProblems}) and the parser's refusals past its ceilings ({@link ParserRefusals}),
 * so that a client gets the same answer from either.
 */
@ApplicationScoped
public class HeadLimits {

  /** A refusal: its type, its detail and its extension members. */
  public record Refusal(ProblemType type, String detail, Map<String, Object> extensions) {}

  /** The longest path of a request target a problem's {@code instance} repeats. */
  private static final int INSTANCE_LENGTH = 2048;

  private final int maxUriLength;
  private final int maxHeaderBytes;

  public HeadLimits(
      @ConfigProperty(name = "nudge.http.max-uri-length", defaultValue = "8192") int maxUriLength,
      @ConfigProperty(name = "nudge.http.max-header-bytes", defaultValue = "20480")
          int maxHeaderBytes) {
    this.maxUriLength = maxUriLength;
    this.maxHeaderBytes = maxHeaderBytes;
  }

  boolean uriTooLong(String uri) {
    return uri.length() > maxUriLength;
  }

  boolean headersTooLarge(long headerBytes) {
    return headerBytes > maxHeaderBytes;
  }

  Refusal uriTooLong() {
    return new Refusal(
        ProblemType.URI_TOO_LONG,
        "The request target (path and query) is limited to " + maxUriLength + " characters.",
        Map.of("limit", maxUriLength));
  }

  Refusal headersTooLarge() {
    return new Refusal(
        ProblemType.HEADERS_TOO_LARGE,
        "The request's header fields are limited to " + maxHeaderBytes + " bytes in all.",
        Map.of("limit", maxHeaderBytes));
  }

  /** The path part of a request target, as the problem's {@code instance}. */
  static String instance(String uri) {
    if (uri == null || !uri.startsWith("/")) {
      return "/";
    }
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    return path.length() > INSTANCE_LENGTH ? path.substring(0, INSTANCE_LENGTH) : path;
  }
}
