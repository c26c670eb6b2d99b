package dev.nudge.common.db;

import dev.nudge.common.log.LogWindow;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Bounds the lines libraries log once per failure while the database is away. The pool (Agroal)
 * warns once for every connection it fails to open, which is dozens a second under load (a 10 s
 * outage made ~850 lines), and SmallRye Health logs its whole DOWN report on every readiness probe
 * that finds the database away; the service's own lines (one warning when a loop starts failing,
 * one when it works again) drown in them. So the pool's first warning is logged, then at most one
 * per {@code nudge.log.pool-warning-interval}, saying how many were left out, and the same for the
 * health check's DOWN reports. Every other line of these categories (the pool's INFO and DEBUG
 * lines, such as a connection leak report; the health check's errors) is untouched, and so is every
 * other category.
 */
@ApplicationScoped
public class PoolWarningThrottle {

  static final String POOL = "io.agroal.pool";
  static final String HEALTH = "io.smallrye.health";

  /** SmallRye Health's message id of its DOWN report. */
  private static final String HEALTH_DOWN = "SRHCK01001";

  private final Duration interval;

  public PoolWarningThrottle(
      @ConfigProperty(name = "nudge.log.pool-warning-interval", defaultValue = "30s")
          Duration interval) {
    this.interval = interval;
  }

  void install(@Observes StartupEvent event) {
    LogWindow pool = new LogWindow(interval);
    Logger.getLogger(POOL)
        .setFilter(
            record ->
                record.getLevel().intValue() < Level.WARNING.intValue()
                    || admit(pool, record, "pool warnings"));
    LogWindow health = new LogWindow(interval);
    Logger.getLogger(HEALTH)
        .setFilter(
            record ->
                // JBoss Log Manager's levels are their own objects: compare the values.
                record.getLevel().intValue() != Level.INFO.intValue()
                    || record.getMessage() == null
                    || !record.getMessage().startsWith(HEALTH_DOWN)
                    || admit(health, record, "DOWN reports"));
  }

  /**
   * Whether {@code window} lets {@code record} through; the one it lets through after others were
   * left out says how many.
   */
  static boolean admit(LogWindow window, LogRecord record, String what) {
    int left = window.admit();
    if (left < 0) {
      return false;
    }
    if (left > 0) {
      String suffix = LogWindow.leftOut(left, what);
      if (record instanceof ExtLogRecord ext) {
        // The message is formatted here, whatever its style (printf, {0}): the suffix is plain.
        ext.setMessage(ext.getFormattedMessage() + suffix, ExtLogRecord.FormatStyle.NO_FORMAT);
        ext.setParameters(null);
      } else {
        record.setMessage(record.getMessage() + suffix);
      }
    }
    return true;
  }
}
