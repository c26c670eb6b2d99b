package dev.nudge.webhook;

import dev.nudge.common.lifecycle.Stopping;
import dev.nudge.common.log.FailureRun;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Wakes the fan-out when events are written into the outbox by anything other than a replica (a
 * script, a tool, an import): the outbox's insert notifies {@value #CHANNEL} for such writers
 * (migration {@code V18}), and this replica listens on one connection of its pool. A replica's own
 * commits wake its fan-out in process and do not notify. Whenever the listener (re)starts it wakes
 * the fan-out once, for what was committed while nobody listened; the poll stays the fallback.
 */
@ApplicationScoped
public class OutboxListener {

  static final String CHANNEL = "nudge_outbox";

  private static final Logger LOG = Logger.getLogger(OutboxListener.class);

  /** How long one wait for notifications blocks, so that a shutdown is seen this soon. */
  private static final int WAIT_MILLIS = 250;

  /**
   * The held connection goes back to the pool this often and another is taken, as every pooled
   * connection is renewed ({@code quarkus.datasource.jdbc.max-lifetime}).
   */
  private static final Duration RENEW = Duration.ofMinutes(10);

  private final AgroalDataSource db;
  private final WebhookDispatcher dispatcher;
  private final Stopping shutdown;
  private final FailureRun failures = new FailureRun(LOG, "Listening for outbox notifications");
  private final AtomicLong notifications = new AtomicLong();
  private final Thread thread;
  private volatile boolean stopping;

  public OutboxListener(AgroalDataSource db, WebhookDispatcher dispatcher, Stopping shutdown) {
    this.db = db;
    this.dispatcher = dispatcher;
    this.shutdown = shutdown;
    this.thread = new Thread(this::run, "nudge-outbox-listener");
    thread.setDaemon(true);
  }

  void start(@Observes StartupEvent event) {
    thread.start();
  }

  /** Gives the connection back before the pool closes (within one wait). */
  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    stopping = true;
    thread.join(2 * WAIT_MILLIS);
  }

  private boolean stopping() {
    return stopping || shutdown.now();
  }

  /** Notifications received since the start, for tests. */
  public long notifications() {
    return notifications.get();
  }

  private void run() {
    long pauseMillis = 0;
    while (!stopping()) {
      try (Connection c = db.getConnection()) {
        listen(c);
        pauseMillis = 0;
      } catch (SQLException | RuntimeException e) {
        if (stopping()) {
          return; // the pool closes as the service stops
        }
        // The database away: one warning for the whole outage; the poll finds work meanwhile.
        failures.failed(e);
        pauseMillis = Math.min(5000, Math.max(200, pauseMillis * 2));
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
      }
    }
  }

  private void listen(Connection c) throws SQLException {
    c.setAutoCommit(true);
    execute(c, "listen " + CHANNEL);
    try {
      failures.succeeded();
      dispatcher.outboxNotified();
      PGConnection pg = c.unwrap(PGConnection.class);
      long until = System.nanoTime() + RENEW.toNanos();
      while (!stopping() && System.nanoTime() < until) {
        PGNotification[] got = pg.getNotifications(WAIT_MILLIS);
        if (got != null && got.length > 0) {
          notifications.addAndGet(got.length);
          dispatcher.outboxNotified();
        }
      }
    } finally {
      // A connection going back to the pool must not go on collecting notifications.
      try {
        execute(c, "unlisten " + CHANNEL);
      } catch (SQLException e) {
        LOG.debugf(e, "unlisten failed; the connection is likely gone");
      }
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
