package dev.nudge.common.http;

import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.ProblemType;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Buffers the body of writes once: enforces the size limit for bodies sent without a Content-Length
 * and keeps the bytes for the idempotency check.
 */
public class RequestBodyFilter {

  public static final String BODY = "nudge.body";

  private final BodySizeLimit limit;

  public RequestBodyFilter(BodySizeLimit limit) {
    this.limit = limit;
  }

  @ServerRequestFilter(priority = Priorities.AUTHENTICATION + 100)
  public void buffer(ContainerRequestContext request) throws IOException {
    String method = request.getMethod();
    if (!("POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method))) {
      return;
    }
    if (!request.hasEntity()) {
      request.setProperty(BODY, new byte[0]);
      return;
    }
    InputStream in = request.getEntityStream();
    byte[] body = in.readNBytes((int) limit.maxBytes() + 1);
    if (body.length > limit.maxBytes()) {
      throw new ApiProblem(ProblemType.PAYLOAD_TOO_LARGE, limit.detail())
          .with("limitBytes", limit.maxBytes());
    }
    request.setProperty(BODY, body);
    request.setEntityStream(new ByteArrayInputStream(body));
  }
}
