package dev.nudge.common.db;

import dev.nudge.common.log.LogWindow;
import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Whether a failure means the database is away (stopped, restarting, unreachable, out of
 * connections, too slow) rather than that the request or the code is wrong. Such a failure is the
 * service's condition, not the client's: it answers 503 with {@code Retry-After}, and background
 * loops log one line and try again on their next run.
 */
public final class DatabaseUnavailable {

  private static final Logger LOG = Logger.getLogger(DatabaseUnavailable.class);

  /**
   * Every request fails while the database is away, in the API-key check or later: the warning is
   * logged for the first refusal, then at most once per 30 s.
   */
  private static final LogWindow REFUSALS = new LogWindow(java.time.Duration.ofSeconds(30));

  private DatabaseUnavailable() {}

  /**
   * Logs a request refused with 503 because of {@code failure} (bounded, see {@link #REFUSALS}).
   */
  public static void refused(Throwable failure) {
    int left = REFUSALS.admit();
    if (left >= 0) {
      LOG.warnf(
          "Database unavailable: %s%s",
          describe(failure), LogWindow.leftOut(left, "requests refused for it"));
    }
  }

  /** True if {@code failure} or any of its causes says the database could not be used. */
  public static boolean causedBy(Throwable failure) {
    Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof SQLException sql && unavailable(sql)) {
        return true;
      }
      if (t instanceof java.net.ConnectException || t instanceof java.net.SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** A short description of the failure for a one-line log entry. */
  public static String describe(Throwable failure) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    Throwable last = failure;
    for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
      if (t instanceof SQLException) {
        last = t;
      }
    }
    String message = last.getMessage();
    return last.getClass().getSimpleName() + (message == null ? "" : ": " + message.strip());
  }

  private static boolean unavailable(SQLException e) {
    String state = e.getSQLState();
    if (state != null) {
      return state.startsWith("08") // connection exception: refused, broken, lost
          || state.equals("57P01") // admin_shutdown: the server is stopping
          || state.equals("57P02") // crash_shutdown
          || state.equals("57P03") // cannot_connect_now: starting up or recovering
          || state.equals("53300") // too_many_connections
          || state.equals("57014"); // query_canceled: a statement timeout
    }
    String message = e.getMessage();
    // The pool's own timeout when no connection could be had in time.
    return message != null
        && message.toLowerCase(java.util.Locale.ROOT).contains("acquisition timeout");
  }
}
