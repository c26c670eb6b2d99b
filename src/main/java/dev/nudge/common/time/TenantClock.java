package dev.nudge.common.time;

import dev.nudge.common.db.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Time as a tenant sees it: the system clock for live tenants, the tenant's frozen test clock (SPEC
 * §6) for test-mode tenants. Everything a tenant sees is stamped from here.
 *
 * <p>A tenant's mode never changes, so a tenant once seen live is remembered and its time read
 * without asking the database; a test clock, which any replica may move, is read every time.
 */
@ApplicationScoped
public class TenantClock {

  private static final int REMEMBERED = 100_000;

  private final Clock system;
  private final Jdbc jdbc;
  private final Set<String> live = ConcurrentHashMap.newKeySet();

  public TenantClock(Clock system, Jdbc jdbc) {
    this.system = system;
    this.jdbc = jdbc;
  }

  /** Wall-clock time, truncated to what the API shows. */
  public Instant system() {
    return system.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** The tenant's current time; inside a transaction, a test clock as that transaction sees it. */
  public Instant now(String tenantId) {
    return live.contains(tenantId) ? system() : jdbc.call(c -> read(c, tenantId));
  }

  /** The tenant's current time, a test clock read on {@code c} (in its transaction). */
  public Instant now(Connection c, String tenantId) throws SQLException {
    return live.contains(tenantId) ? system() : read(c, tenantId);
  }

  private Instant read(Connection c, String tenantId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("select mode, clock_now from tenant where id = ?")) {
      ps.setString(1, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return system();
        }
        if ("live".equals(rs.getString(1))) {
          remember(tenantId);
        }
        OffsetDateTime frozen = rs.getObject(2, OffsetDateTime.class);
        return frozen == null ? system() : frozen.toInstant();
      }
    }
  }

  private void remember(String tenantId) {
    if (live.size() >= REMEMBERED) {
      live.clear();
    }
    live.add(tenantId);
  }
}
