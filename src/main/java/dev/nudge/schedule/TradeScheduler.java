package dev.nudge.schedule;

import dev.nudge.common.time.TenantClock;
import dev.nudge.trade.Trade;
import dev.nudge.trade.TradeRows;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;
import org.hibernate.jdbc.ReturningWork;
import org.jboss.logging.Logger;

/**
 * Claims due trade timers of live tenants and fires them (SPEC §3). Any number of replicas may run
 * this at once: a batch is claimed with {@code FOR UPDATE SKIP LOCKED} and fired in the same
 * transaction, so the row lock is the lease. A replica that dies loses its connection and with it
 * its locks; a hung one is cut off by {@code idle_in_transaction_session_timeout}. A repeat of a
 * fired timer is a no-op, because firing re-reads the row's state under the lock and writes it back
 * only if its version is unchanged.
 */
@ApplicationScoped
public class TradeScheduler {

  private static final Logger LOG = Logger.getLogger(TradeScheduler.class);

  static final String CLAIM =
      "select "
          + TradeRows.COLUMNS
          + " from trade where timer_at <= ? and not test_clock"
          + " order by timer_at limit ? for update skip locked";

  /** Counting is capped, so a large backlog does not make every poll scan all of it. */
  static final int DUE_COUNT_CAP = 10_000;

  private static final String DUE_COUNT =
      "select count(*) from (select 1 from trade where timer_at <= ? and not test_clock limit "
          + DUE_COUNT_CAP
          + ") due";
  private static final String POSTPONE =
      "update trade set timer_at = ? where id = any(?) and timer_at <= ?";

  private final EntityManager em;
  private final TradeRows rows;
  private final TradeTimerFiring firing;
  private final TenantClock clock;
  private final int batchSize;
  private final Duration retryAfter;
  private final AtomicLong due = new AtomicLong();
  private final int workers;
  private final ExecutorService pool;

  public TradeScheduler(
      EntityManager em,
      TradeRows rows,
      TradeTimerFiring firing,
      TenantClock clock,
      MeterRegistry metrics,
      @ConfigProperty(name = "nudge.scheduler.batch-size", defaultValue = "500") int batchSize,
      @ConfigProperty(name = "nudge.scheduler.retry-after", defaultValue = "1m")
          Duration retryAfter,
      @ConfigProperty(name = "nudge.scheduler.workers", defaultValue = "2") int workers) {
    this.workers = Math.max(1, workers);
    this.pool =
        Executors.newFixedThreadPool(
            this.workers,
            r -> {
              Thread t = new Thread(r, "nudge-scheduler");
              t.setDaemon(true);
              return t;
            });
    this.em = em;
    this.rows = rows;
    this.firing = firing;
    this.clock = clock;
    this.batchSize = batchSize;
    this.retryAfter = retryAfter;
    Gauge.builder("nudge.scheduler.due.timers", due, AtomicLong::doubleValue)
        .description("Live trade timers due at the last poll (counted up to 10,000)")
        .tag("machine", "trade")
        .register(metrics);
  }

  /**
   * Fires every due timer with {@code workers} parallel loops, batch after batch, until none is
   * left; returns how many fired.
   */
  public int runDue() {
    due.set(QuarkusTransaction.requiringNew().call(() -> work(this::countDue)));
    if (workers == 1) {
      return runDue(batchSize);
    }
    List<Future<Integer>> loops = new ArrayList<>(workers);
    for (int i = 0; i < workers; i++) {
      loops.add(pool.submit(() -> runDue(batchSize)));
    }
    int total = 0;
    RuntimeException failure = null;
    for (Future<Integer> loop : loops) {
      try {
        total += loop.get();
      } catch (ExecutionException e) {
        failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return total;
  }

  /** One loop: claims and fires batches of {@code batch} until a claim comes back empty. */
  public int runDue(int batch) {
    int total = 0;
    while (true) {
      int[] counts =
          QuarkusTransaction.requiringNew().call(() -> work(c -> claimAndFire(c, batch)));
      total += counts[1];
      if (counts[0] == 0) {
        return total;
      }
    }
  }

  @PreDestroy
  void stop() {
    pool.shutdownNow();
  }

  private long countDue(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(DUE_COUNT)) {
      ps.setObject(1, clock.system().atOffset(ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * One batch in one transaction; returns {claimed, fired}. Trades whose firing failed get their
   * timer moved {@code retry-after} into the future, so they neither block the next batches nor are
   * lost; firing computes from the trade's own due times, so the retry fires what was due.
   */
  private int[] claimAndFire(Connection c, int batch) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "set local lock_timeout = '10s'; set local idle_in_transaction_session_timeout = '60s'");
    }
    Instant now = clock.system();
    List<Trade> claimed;
    try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
      ps.setObject(1, now.atOffset(ZoneOffset.UTC));
      ps.setInt(2, batch);
      claimed = rows.query(ps);
    }
    TradeTimerFiring.Result r = firing.fire(c, claimed, now, true);
    if (!r.failed().isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(POSTPONE)) {
        ps.setObject(1, now.plus(retryAfter).atOffset(ZoneOffset.UTC));
        ps.setArray(2, c.createArrayOf("text", r.failed().toArray()));
        ps.setObject(3, now.atOffset(ZoneOffset.UTC));
        ps.executeUpdate();
      }
    }
    if (!claimed.isEmpty()) {
      LOG.debugf("fired %d of %d claimed trade timers", r.fired(), claimed.size());
    }
    return new int[] {claimed.size(), r.fired()};
  }

  private <T> T work(ReturningWork<T> work) {
    return em.unwrap(Session.class).doReturningWork(work);
  }
}
