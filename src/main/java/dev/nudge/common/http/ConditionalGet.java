package dev.nudge.common.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * {@code If-None-Match} on a resource that answers with an {@code ETag}: when the client already
 * holds this version, a 304 without a body (RFC 9110 §13.1.2).
 */
public class ConditionalGet {

  @ServerResponseFilter
  public void notModified(ContainerRequestContext request, ContainerResponseContext response) {
    String method = request.getMethod();
    if (!("GET".equals(method) || "HEAD".equals(method)) || response.getStatus() != 200) {
      return;
    }
    Object etag = response.getHeaders().getFirst("ETag");
    String ifNoneMatch = request.getHeaderString("If-None-Match");
    if (etag == null || ifNoneMatch == null) {
      return;
    }
    String current = strip(etag.toString());
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.trim();
      if (t.equals("*") || strip(t).equals(current)) {
        response.setStatus(304);
        response.setEntity(null);
        return;
      }
    }
  }

  /** Compares weakly, as If-None-Match does: {@code W/"3"} matches {@code "3"}. */
  private static String strip(String tag) {
    String t = tag.startsWith("W/") ? tag.substring(2) : tag;
    return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")
        ? t.substring(1, t.length() - 1)
        : t;
  }
}
