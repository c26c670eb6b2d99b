package dev.nudge.common.http;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Drops the REST layer's ERROR for an event stream whose client went away ("impossible to send it
 * to client": the connection or HTTP/2 stream is closed). A client closing its stream is normal,
 * not a server error, and the stream ends with it.
 */
@LoggingFilter(name = "client-gone")
public final class ClientGoneLogFilter implements Filter {

  private static final String SSE_HANDLER =
      "org.jboss.resteasy.reactive.server.handlers.PublisherResponseHandler";

  @Override
  public boolean isLoggable(LogRecord record) {
    String message = record.getMessage();
    return !(SSE_HANDLER.equals(record.getLoggerName())
        && message != null
        && message.contains("impossible to send it to client"));
  }
}
