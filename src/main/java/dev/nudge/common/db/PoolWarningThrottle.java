package dev.nudge.common.db;

import dev.nudge.common.log.LogWindow;
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
 * Bounds the warnings the data layer's libraries log per failure. While the database is away, the
 * pool (Agroal) warns once for every connection it fails to open, which is dozens a second under
 * load (a 10 s outage made ~850 lines), and Hibernate logs two warnings for every statement a
 * closed connection fails; the service's own lines (one warning when a loop starts failing, one
 * when it works again) drown in them, as they do in the health check's report of the outage, logged
 * on every readiness probe. So each category's first warning is logged, then at most one per {@code
 * nudge.log.pool-warning-interval}, saying how many were left out. Their INFO and DEBUG lines (a
 * connection leak report, say) are untouched, and so is every other category.
 */
@ApplicationScoped
public class PoolWarningThrottle {

  static final String POOL = "io.agroal.pool";
  static final String HIBERNATE_JDBC = "org.hibernate.orm.jdbc.error";
  static final String HEALTH = "io.smallrye.health";

  private final Duration interval;

  public PoolWarningThrottle(
      @ConfigProperty(name = "nudge.log.pool-warning-interval", defaultValue = "30s")
          Duration interval) {
    this.interval = interval;
  }

  void install(@Observes StartupEvent event) {
    Logger.getLogger(POOL)
        .setFilter(new Bounded(new LogWindow(interval), Level.WARNING, "pool warnings"));
    Logger.getLogger(HIBERNATE_JDBC)
        .setFilter(new Bounded(new LogWindow(interval), Level.WARNING, "JDBC warnings"));
    // SmallRye Health logs the whole DOWN report at INFO on every probe that finds it down.
    Logger.getLogger(HEALTH)
        .setFilter(new Bounded(new LogWindow(interval), Level.INFO, "health reports"));
  }

  /** A category's lines from {@code level} up, bounded by its window. */
  private record Bounded(LogWindow window, Level level, String what) implements Filter {
    @Override
    public boolean isLoggable(LogRecord record) {
      if (record.getLevel().intValue() < level.intValue()) {
        return true;
      }
      int left = window.admit();
      if (left < 0) {
        return false;
      }
      if (left > 0) {
        record.setMessage(record.getMessage() + LogWindow.leftOut(left, what));
      }
      return true;
    }
  }
}
