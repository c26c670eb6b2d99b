package dev.nudge.common.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Response details below the REST layer, for browsers and caches in between:
 *
 * <ul>
 *   <li>{@code Vary: Origin} on every answer: CORS headers are given only to requests that name an
 *       origin, so a shared cache must not hand one origin's answer to another (Fetch standard,
 *       "CORS protocol and HTTP caches").
 *   <li>{@code Vary: Accept-Encoding} on the media types that may be compressed.
 *   <li>No compression below {@link #COMPRESS_FROM} bytes, where gzip costs more than it saves.
 *       Vert.x 4 has no size threshold of its own; it leaves a body alone whose {@code
 *       Content-Encoding} is {@code identity}. Over HTTP/1.1 it then drops that header, so the
 *       marker is set only where the compressor will see the body (a non-empty one, not HEAD, for a
 *       client that accepts some encoding) and never reaches the client.
 * </ul>
 */
@ApplicationScoped
public class HttpDetails {

  /** Bodies below this many bytes are sent as they are. */
  static final int COMPRESS_FROM = 1024;

  private final List<String> compressed;

  public HttpDetails(
      @ConfigProperty(name = "quarkus.http.compress-media-types") List<String> compressed) {
    this.compressed = compressed.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
  }

  void register(@Observes Filters filters) {
    filters.register(
        rc -> {
          boolean http2 = rc.request().version() == HttpVersion.HTTP_2;
          boolean mayCompress =
              rc.request().method() != HttpMethod.HEAD
                  && rc.request().getHeader("Accept-Encoding") != null;
          rc.addHeadersEndHandler(
              v -> {
                var headers = rc.response().headers();
                headers.add("Vary", "Origin");
                boolean compressible = compressible(headers.get("Content-Type"));
                if (compressible) {
                  headers.add("Vary", "Accept-Encoding");
                }
                long length = length(headers.get("Content-Length"));
                if (http2) {
                  // HTTP/2 in Vert.x 4 sets the negotiated encoding once the handlers are done,
                  // unless one is already there, and then compresses whatever the type; only
                  // "identity" stops it (and that one is seen by the client over HTTP/2).
                  boolean worthIt = compressible && (length < 0 || length >= COMPRESS_FROM);
                  if (mayCompress && !worthIt) {
                    headers.set("Content-Encoding", "identity");
                  }
                } else if (compressible
                    && mayCompress
                    && length > 0
                    && length < COMPRESS_FROM
                    && !headers.contains("Content-Encoding")) {
                  // HTTP/1.1: the compressor leaves the body alone and drops the marker.
                  headers.set("Content-Encoding", "identity");
                }
              });
          rc.next();
        },
        // Before the CORS filter, so preflight answers carry Vary too.
        Integer.MAX_VALUE);
  }

  private boolean compressible(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return compressed.contains(type);
  }

  /** The body's length, or -1 when unknown (chunked: a stream or a large body). */
  private static long length(String contentLength) {
    if (contentLength == null) {
      return -1;
    }
    try {
      return Long.parseLong(contentLength.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
