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
