package dev.nudge.common.db;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bounds the connection pool's warnings. While the database is away, the pool (Agroal) warns once
 * for every connection it fails to open, which is dozens a second under load (a 10 s outage made
 * ~850 lines), and the service's own lines (one warning when a loop starts failing, one when it
 * works again) drown in them. So the pool's first warning is logged, then at most one per {@code
 * nudge.log.pool-warning-interval}, saying how many were left out. Its INFO and DEBUG lines (a
 * connection leak report, say) are untouched, and so is every other category.
 */
@ApplicationScoped
public class PoolWarningThrottle implements Filter {

  static final String CATEGORY = "io.agroal.pool";

  private final long intervalNanos;
  private long windowStart;
  private boolean started;
  private int suppressed;

  public PoolWarningThrottle(
      @ConfigProperty(name = "nudge.log.pool-warning-interval", defaultValue = "30s")
          Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  void install(@Observes StartupEvent event) {
    Logger.getLogger(CATEGORY).setFilter(this);
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    if (record.getLevel().intValue() < Level.WARNING.intValue()) {
      return true;
    }
    long now = System.nanoTime();
    int left;
    synchronized (this) {
      if (started && now - windowStart < intervalNanos) {
        suppressed++;
        return false;
      }
      started = true;
      windowStart = now;
      left = suppressed;
      suppressed = 0;
    }
    if (left > 0) {
      record.setMessage(
          record.getMessage()
              + " ("
              + left
              + " more pool warnings since the last logged one were left out)");
    }
    return true;
  }
}
