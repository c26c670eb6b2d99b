package dev.nudge.schedule;

import dev.nudge.common.lifecycle.Stopping;
import dev.nudge.common.metrics.TransitionMetrics;
import dev.nudge.common.time.TenantClock;
import dev.nudge.schedule.TimerBatch.Backoff;
import dev.nudge.schedule.TimerBatch.Claimed;
import dev.nudge.schedule.TimerMachine.Fired;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs every machine's due timers of live tenants (SPEC §3). Any number of replicas may run this at
 * once: a batch is claimed with {@code FOR UPDATE SKIP LOCKED} and fired in the same transaction,
 * so the row lock is the lease. A replica that dies loses its connection and with it its locks; a
 * hung one is cut off by {@code idle_in_transaction_session_timeout}. A repeat of a fired timer is
 * a no-op, because the machine re-reads the row under the lock and writes it only if its version is
 * unchanged.
 */
@ApplicationScoped
public class TimerEngine {

  /** Counting is capped, so a large backlog does not make every poll scan all of it. */
  static final int DUE_COUNT_CAP = 10_000;

  /** The longest a shutdown waits for the batches in flight. */
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(20);

  private final List<TimerMachine<?, ?>> machines;
  private final Map<String, MachineMeters> meters = new LinkedHashMap<>();
  private final AgroalDataSource db;
  private final TenantClock clock;
  private final SchedulerConfig config;
  private final TransitionMetrics transitions;
  private final ExecutorService pool;
  private final Stopping stopping;
  private final AtomicInteger running = new AtomicInteger();

  public TimerEngine(
      @Any Instance<TimerMachine<?, ?>> machines,
      AgroalDataSource db,
      TenantClock clock,
      SchedulerConfig config,
      TransitionMetrics transitions,
      MeterRegistry metrics,
      Stopping stopping) {
    this.machines = machines.stream().toList();
    this.stopping = stopping;
    this.db = db;
    this.clock = clock;
    this.config = config;
    this.transitions = transitions;
    for (TimerMachine<?, ?> m : this.machines) {
      meters.put(m.name(), new MachineMeters(m.name(), metrics));
    }
    this.pool =
        Executors.newFixedThreadPool(
            Math.max(1, config.workers()),
            r -> {
              Thread t = new Thread(r, "nudge-scheduler");
              t.setDaemon(true);
              return t;
            });
  }

  /** The registered machines, in a fixed order. */
  public List<TimerMachine<?, ?>> machines() {
    return machines;
  }

  /**
   * Fires every due timer with {@code workers} parallel loops, batch after batch, until none is
   * left; returns how many fired.
   */
  public int runDue() {
    // Counted as running before the check, so the shutdown's wait for the loops cannot miss a
    // poll that began just as it started: such a poll sees the flag and does nothing.
    running.incrementAndGet();
    try {
      if (stopping.now()) {
        return 0;
      }
      QuarkusTransaction.requiringNew().run(this::countDue);
      int workers = Math.max(1, config.workers());
      if (workers == 1) {
        return runDue(config.batchSize());
      }
      List<Future<Integer>> loops = new ArrayList<>(workers);
      for (int i = 0; i < workers; i++) {
        loops.add(pool.submit(() -> runDue(config.batchSize())));
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
    } finally {
      synchronized (running) {
        running.decrementAndGet();
        running.notifyAll();
      }
    }
  }

  /**
   * One loop: claims and fires batches of up to {@code batch} rows, machine after machine, until a
   * round over all machines claims nothing; returns how many timers fired. The loop first leases
   * one of the cluster's batch slots and holds it while it finds work, so at most {@code
   * max-parallel-batches} loops run across all replicas; without a free slot it does nothing.
   */
  public int runDue(int batch) {
    if (stopping.now()) {
      return 0;
    }
    running.incrementAndGet();
    try (Connection lease = db.getConnection()) {
      Integer slot = takeSlot(lease);
      if (slot == null) {
        return 0;
      }
      try {
        return drain(batch, lease);
      } finally {
        releaseSlot(lease, slot);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("timer slot lease failed: " + e.getMessage(), e);
    } finally {
      synchronized (running) {
        running.decrementAndGet();
        running.notifyAll();
      }
    }
  }

  private int drain(int batch, Connection lease) throws SQLException {
    int total = 0;
    while (true) {
      int claimed = 0;
      for (TimerMachine<?, ?> m : machines) {
        int[] counts =
            QuarkusTransaction.requiringNew().call(() -> connected(c -> claimAndFire(c, m, batch)));
        claimed += counts[0];
        total += counts[1];
      }
      // On shutdown the loop ends after the batch it committed; the next replica takes the rest.
      if (claimed == 0 || stopping.now()) {
        return total;
      }
      // The lease's connection must stay alive: a lost one has released the slot.
      if (!lease.isValid(5)) {
        return total;
      }
    }
  }

  /**
   * At shutdown, before the pool and the database go, waits for the loops to finish the batch each
   * holds (they claim no more once {@link Stopping} is set): a batch is one transaction, so it
   * commits whole or, cut off, rolls back whole, and waiting lets it commit.
   */
  void awaitLoops(@Observes ShutdownEvent event) {
    long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
    synchronized (running) {
      while (running.get() > 0 && System.nanoTime() < deadline) {
        try {
          running.wait(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @PreDestroy
  void stop() {
    pool.shutdownNow();
  }

  /** One batch of one machine, in the caller's transaction; returns {claimed, fired}. */
  private <R, F extends Fired> int[] claimAndFire(Connection c, TimerMachine<R, F> m, int batch)
      throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "set local lock_timeout = '10s'; set local idle_in_transaction_session_timeout = '60s'");
    }
    Instant now = clock.system();
    List<Claimed<R>> claimed;
    try (PreparedStatement ps =
        c.prepareStatement(
            "select "
                + TimerBatch.selectList(m)
                + " from "
                + m.table()
                + " where timer_at <= ? and not test_clock order by timer_at limit ?"
                + " for update skip locked")) {
      ps.setObject(1, now.atOffset(ZoneOffset.UTC));
      ps.setInt(2, batch);
      claimed = TimerBatch.read(m, ps);
    }
    TimerBatch.Result r = TimerBatch.fire(c, m, claimed, now, backoff());
    record(m, r, now, true);
    return new int[] {claimed.size(), r.fired().size()};
  }

  /**
   * Fires the due timers of the rows with these ids, which the caller's transaction locks here, at
   * {@code now} (a tenant's test clock); returns the result, which the caller records with {@link
   * #recordTestClock} if it keeps it.
   */
  <R, F extends Fired> TimerBatch.Result fireTestClock(
      Connection c, TimerMachine<R, F> m, List<String> ids, Instant now) throws SQLException {
    List<Claimed<R>> claimed;
    try (PreparedStatement ps =
        c.prepareStatement(
            "select "
                + TimerBatch.selectList(m)
                + " from "
                + m.table()
                + " where id = any(?) and test_clock order by timer_at, id for update")) {
      ps.setArray(1, c.createArrayOf("text", ids.toArray()));
      claimed = TimerBatch.read(m, ps);
    }
    return TimerBatch.fire(c, m, claimed, now, backoff());
  }

  /** Counts a test clock's batch in the metrics, once the clock has kept it. */
  void recordTestClock(TimerMachine<?, ?> m, TimerBatch.Result r, Instant now) {
    record(m, r, now, false);
  }

  /** Advisory lock key space of the batch slots ("nudge" in ASCII). */
  private static final int SLOTS = 0x6e75_6467;

  /**
   * Takes a free batch slot as a session lock on {@code lease}, which the loop keeps open while it
   * works: a replica that dies closes its connections and so frees its slots. Null if none is free.
   */
  private Integer takeSlot(Connection lease) throws SQLException {
    try (PreparedStatement ps =
        lease.prepareStatement(
            "select s from generate_series(0, ? - 1) s where pg_try_advisory_lock(?, s) limit 1")) {
      ps.setInt(1, Math.max(1, config.maxParallelBatches()));
      ps.setInt(2, SLOTS);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getInt(1) : null;
      }
    }
  }

  private static void releaseSlot(Connection lease, int slot) throws SQLException {
    try (PreparedStatement ps = lease.prepareStatement("select pg_advisory_unlock(?, ?)")) {
      ps.setInt(1, SLOTS);
      ps.setInt(2, slot);
      ps.executeQuery().close();
    }
  }

  private Backoff backoff() {
    return new Backoff(config.retryAfter(), config.maxRetryAfter());
  }

  /** Metrics of a batch; the claim lag only for real time, not a test clock. */
  private void record(TimerMachine<?, ?> m, TimerBatch.Result r, Instant now, boolean live) {
    MachineMeters mm = meters.get(m.name());
    for (Fired f : r.fired()) {
      if (live) {
        Duration late = Duration.between(f.dueAt(), now);
        mm.lag.record(late.isNegative() ? Duration.ZERO : late);
      }
      transitions.count(m.name(), f.fromState(), f.toState());
    }
    mm.failures.increment(r.failed().size());
  }

  private void countDue() {
    connected(
        c -> {
          Instant now = clock.system();
          for (TimerMachine<?, ?> m : machines) {
            MachineMeters mm = meters.get(m.name());
            try (PreparedStatement ps =
                c.prepareStatement(
                    "select (select count(*) from (select 1 from "
                        + m.table()
                        + " where timer_at <= ? and not test_clock limit "
                        + DUE_COUNT_CAP
                        + ") due), (select count(*) from "
                        + m.table()
                        + " where timer_failures > 0)")) {
              ps.setObject(1, now.atOffset(ZoneOffset.UTC));
              try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                mm.due.set(rs.getLong(1));
                mm.failing.set(rs.getLong(2));
              }
            }
          }
          return null;
        });
  }

  /** Work on the current transaction's connection. */
  <T> T connected(SqlWork<T> work) {
    try (Connection c = db.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new IllegalStateException("timer work failed: " + e.getMessage(), e);
    }
  }

  interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  /** One machine's scheduler metrics. */
  private static final class MachineMeters {
    final AtomicLong due = new AtomicLong();
    final AtomicLong failing = new AtomicLong();
    final Timer lag;
    final Counter failures;

    MachineMeters(String machine, MeterRegistry metrics) {
      Gauge.builder("nudge.scheduler.due.timers", due, AtomicLong::doubleValue)
          .description("Timers due at the last poll (counted up to 10,000)")
          .tag("machine", machine)
          .register(metrics);
      Gauge.builder("nudge.scheduler.failing.timers", failing, AtomicLong::doubleValue)
          .description("Subjects whose last timer run failed and waits for its retry")
          .tag("machine", machine)
          .register(metrics);
      lag =
          Timer.builder("nudge.scheduler.claim.lag")
              .description("How late a timer fired after it fell due")
              .tag("machine", machine)
              .register(metrics);
      failures =
          Counter.builder("nudge.scheduler.failures")
              .description("Timer runs that failed and were put back for a later retry")
              .tag("machine", machine)
              .register(metrics);
    }
  }
}
