package dev.nudge.common.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Response details below the REST layer: {@code Vary: Origin} wherever a browser's origin was seen
 * (the CORS answer depends on it, so caches must key on it), and no compression for small bodies,
 * where gzip costs more than it saves.
 */
@ApplicationScoped
public class HttpDetails {

  /** Bodies below this many bytes are sent as they are. */
  static final int COMPRESS_FROM = 1024;

  void register(@Observes Filters filters) {
    filters.register(
        rc -> {
          boolean cors = rc.request().getHeader("Origin") != null;
          rc.addHeadersEndHandler(
              v -> {
                var headers = rc.response().headers();
                if (cors) {
                  headers.add("Vary", "Origin");
                }
                String length = headers.get("Content-Length");
                if (length != null && !headers.contains("Content-Encoding")) {
                  try {
                    if (Long.parseLong(length) < COMPRESS_FROM) {
                      headers.set("Content-Encoding", "identity");
                    }
                  } catch (NumberFormatException ignored) {
                    // Not a length: leave the response as it is.
                  }
                }
              });
          rc.next();
        },
        // Before the CORS filter, so preflight answers carry Vary too.
        Integer.MAX_VALUE);
  }
}
