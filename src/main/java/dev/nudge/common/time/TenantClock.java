package dev.nudge.common.time;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Time as a tenant sees it: the system clock for live tenants, the tenant's frozen test clock (SPEC
 * §6) for test-mode tenants. Everything a tenant sees is stamped from here.
 */
@ApplicationScoped
public class TenantClock {

  private final Clock system;
  private final EntityManager em;

  public TenantClock(Clock system, EntityManager em) {
    this.system = system;
    this.em = em;
  }

  /** Wall-clock time, truncated to what the API shows. */
  public Instant system() {
    return system.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** The tenant's current time; must be called inside a transaction. */
  public Instant now(String tenantId) {
    // A live tenant's clock_now is SQL null: findFirst() on that row would throw.
    java.util.List<?> rows =
        em.createNativeQuery("select clock_now from tenant where id = ?1")
            .setParameter(1, tenantId)
            .getResultList();
    Object frozen = rows.isEmpty() ? null : rows.get(0);
    if (frozen == null) {
      return system();
    }
    return toInstant(frozen);
  }

  static Instant toInstant(Object value) {
    if (value instanceof Instant i) {
      return i;
    }
    if (value instanceof java.time.OffsetDateTime o) {
      return o.toInstant();
    }
    if (value instanceof java.sql.Timestamp t) {
      return t.toInstant();
    }
    throw new IllegalStateException("unexpected clock value " + value.getClass());
  }
}
