package dev.nudge.schedule;

import dev.nudge.common.time.TenantClock;
import dev.nudge.trade.Trade;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Claims due trade timers of live tenants and fires them (SPEC §3). Any number of replicas may run
 * this at once: a batch is claimed with {@code FOR UPDATE SKIP LOCKED} and fired in the same
 * transaction, so the row lock is the lease. A replica that dies loses its connection and with it
 * its locks; a hung one is cut off by {@code idle_in_transaction_session_timeout}. A repeat of a
 * fired timer is a no-op, because firing re-reads the row's state under the lock.
 */
@ApplicationScoped
public class TradeScheduler {

  private static final Logger LOG = Logger.getLogger(TradeScheduler.class);

  static final String CLAIM =
      "select * from trade where timer_at <= ?1 and not test_clock"
          + " order by timer_at limit ?2 for update skip locked";
  private static final String DUE_COUNT =
      "select count(*) from trade where timer_at <= ?1 and not test_clock";

  private final EntityManager em;
  private final TradeTimerFiring firing;
  private final TenantClock clock;
  private final int batchSize;
  private final AtomicLong due = new AtomicLong();

  public TradeScheduler(
      EntityManager em,
      TradeTimerFiring firing,
      TenantClock clock,
      MeterRegistry metrics,
      @ConfigProperty(name = "nudge.scheduler.batch-size", defaultValue = "500") int batchSize) {
    this.em = em;
    this.firing = firing;
    this.clock = clock;
    this.batchSize = batchSize;
    Gauge.builder("nudge.scheduler.due.timers", due, AtomicLong::doubleValue)
        .description("Live trade timers due at the last poll")
        .tag("machine", "trade")
        .register(metrics);
  }

  /** Fires every due timer, batch after batch, until none is left; returns how many fired. */
  public int runDue() {
    return runDue(batchSize);
  }

  public int runDue(int batch) {
    due.set(
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    ((Number)
                            em.createNativeQuery(DUE_COUNT)
                                .setParameter(1, clock.system())
                                .getSingleResult())
                        .longValue()));
    int total = 0;
    while (true) {
      int[] counts = QuarkusTransaction.requiringNew().call(() -> claimAndFire(batch));
      total += counts[1];
      if (counts[0] == 0) {
        return total;
      }
    }
  }

  /** One batch in one transaction; returns {claimed, fired}. */
  private int[] claimAndFire(int batch) {
    em.createNativeQuery("set local lock_timeout = '10s'").executeUpdate();
    em.createNativeQuery("set local idle_in_transaction_session_timeout = '60s'").executeUpdate();
    Instant now = clock.system();
    @SuppressWarnings("unchecked")
    List<Trade> claimed =
        em.createNativeQuery(CLAIM, Trade.class)
            .setParameter(1, now)
            .setParameter(2, batch)
            .getResultList();
    int fired = 0;
    for (Trade t : claimed) {
      if (firing.fire(t, now)) {
        fired++;
      }
    }
    if (!claimed.isEmpty()) {
      LOG.debugf("fired %d of %d claimed trade timers", fired, claimed.size());
    }
    return new int[] {claimed.size(), fired};
  }
}
