package dev.nudge.common.http;

import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.ProblemType;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Buffers the body of writes once: enforces the size limit for bodies sent without a
 * Content-Length, refuses bodies that are not UTF-8 text, and keeps the bytes for the idempotency
 * check.
 */
public class RequestBodyFilter {

  public static final String BODY = "nudge.body";

  private final BodySizeLimit limit;

  public RequestBodyFilter(BodySizeLimit limit) {
    this.limit = limit;
  }

  @ServerRequestFilter(priority = Priorities.AUTHENTICATION + 100)
  public void buffer(ContainerRequestContext request) {
    String method = request.getMethod();
    if (!("POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method))) {
      return;
    }
    String type = request.getHeaderString("Content-Type");
    if (type != null && !mediaType(type)) {
      throw new ApiProblem(
          ProblemType.UNSUPPORTED_MEDIA_TYPE,
          "The Content-Type header is not one media type; send application/json.");
    }
    String encoding = request.getHeaderString("Content-Encoding");
    if (encoding != null && !encoding.isBlank() && !identity(encoding)) {
      // Bodies are read as sent; a compressed one would be parsed as garbage (RFC 7694 section 3).
      throw new ApiProblem(
              ProblemType.UNSUPPORTED_MEDIA_TYPE,
              "Request bodies are read as sent: send the body without a Content-Encoding.")
          .header("Accept-Encoding", "identity");
    }
    if (!request.hasEntity()) {
      request.setProperty(BODY, new byte[0]);
      return;
    }
    byte[] body = read(request);
    if (body.length > limit.maxBytes()) {
      throw new ApiProblem(ProblemType.PAYLOAD_TOO_LARGE, limit.detail())
          .with("limitBytes", limit.maxBytes());
    }
    if (!utf8Text(body)) {
      // JSON between systems is UTF-8 (RFC 8259 section 8.1). The JSON reader would otherwise
      // guess UTF-16 or UTF-32 from the first bytes, and read another text than the one sent.
      throw ApiProblem.validation(
          "body", "must be JSON text in UTF-8 (it holds bytes that are not UTF-8, or a NUL byte)");
    }
    request.setProperty(BODY, body);
    request.setEntityStream(new ByteArrayInputStream(body));
  }

  /**
   * The body, up to one byte past the limit. A body that cannot be read to its end (the client
   * stopped sending it, or its chunked coding broke and {@link ChunkedBodyGuard} answered) is the
   * client's failure: a 400 that closes the connection, not a server error, and no ERROR is logged.
   * When the connection is already gone the answer reaches nobody.
   */
  private byte[] read(ContainerRequestContext request) {
    try {
      InputStream in = request.getEntityStream();
      return in.readNBytes((int) limit.maxBytes() + 1);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw ApiProblem.validation("body", "could not be read to its end (it was cut short)")
          .header("Connection", "close");
    }
  }

  /** {@code identity}, the only content coding read (RFC 9110 section 8.4.1). */
  private static boolean identity(String encoding) {
    for (String coding : encoding.split(",")) {
      if (!coding.isBlank() && !coding.trim().equalsIgnoreCase("identity")) {
        return false;
      }
    }
    return true;
  }

  /** One parseable media type: not empty, not a list ("application/json, text/plain"). */
  private static boolean mediaType(String header) {
    try {
      MediaType.valueOf(header);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Valid UTF-8 without U+0000, which JSON text never holds outside an escape. */
  static boolean utf8Text(byte[] body) {
    for (byte b : body) {
      if (b == 0) {
        return false;
      }
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
