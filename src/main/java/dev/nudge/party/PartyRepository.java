package dev.nudge.party;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hibernate.jpa.HibernateHints;

@ApplicationScoped
public class PartyRepository implements PanacheRepositoryBase<Party, String> {

  public Optional<Party> find(String tenantId, String id) {
    return find("tenantId = ?1 and id = ?2", tenantId, id).firstResultOptional();
  }

  /**
   * Which of these ids are parties of the tenant: one indexed lookup in plain JDBC, no entities
   * loaded (a trade's creation checks both its parties this way).
   */
  public Set<String> existing(Connection c, String tenantId, Collection<String> ids)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("select id from party where tenant_id = ? and id = any(?)")) {
      ps.setString(1, tenantId);
      ps.setArray(2, c.createArrayOf("text", ids.toArray()));
      Set<String> out = new HashSet<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }

  /**
   * The parties with these ids, by id, read-only (no snapshots kept for dirty checking): the
   * scheduler reads many per batch and changes none.
   */
  public Map<String, Party> byIds(Collection<String> ids) {
    Map<String, Party> out = new HashMap<>();
    for (Party p :
        find("id in ?1", ids).withHint(HibernateHints.HINT_READ_ONLY, true).<Party>list()) {
      out.put(p.id, p);
    }
    return out;
  }

  /**
   * The parties with these ids, by id, read in plain JDBC on {@code c} as detached entities to read
   * only: the scheduler reads the parties of every batch, and the ORM's query and entity loading
   * cost more than the rest of the batch's lookups together.
   */
  public Map<String, Party> byIds(Connection c, Collection<String> ids) throws SQLException {
    Map<String, Party> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select id, tenant_id, handle, display_name, locale, time_zone, quiet_start,"
                + " quiet_end, channels, created_at, version from party where id = any(?)")) {
      ps.setArray(1, c.createArrayOf("text", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Party p = new Party();
          p.id = rs.getString(1);
          p.tenantId = rs.getString(2);
          p.handle = rs.getString(3);
          p.displayName = rs.getString(4);
          p.locale = rs.getString(5);
          p.timeZone = rs.getString(6);
          p.quietStart = rs.getString(7);
          p.quietEnd = rs.getString(8);
          p.channels = rs.getString(9);
          p.createdAt = rs.getObject(10, java.time.OffsetDateTime.class).toInstant();
          p.version = rs.getInt(11);
          out.put(p.id, p);
        }
      }
    }
    return out;
  }

  /** A page of the tenant's parties by id; with {@code handle}, only those with that handle. */
  public List<Party> page(String tenantId, String handle, String afterId, int limit) {
    StringBuilder q = new StringBuilder("tenantId = :tenant");
    io.quarkus.panache.common.Parameters p =
        io.quarkus.panache.common.Parameters.with("tenant", tenantId);
    if (handle != null) {
      q.append(" and lower(handle) = lower(:handle)");
      p = p.and("handle", handle);
    }
    if (afterId != null) {
      q.append(" and id > :after");
      p = p.and("after", afterId);
    }
    return find(q.toString(), Sort.by("id"), p).page(0, limit + 1).list();
  }
}
