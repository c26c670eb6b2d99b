package dev.nudge.party;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class PartyRepository implements PanacheRepositoryBase<Party, String> {

  public Optional<Party> find(String tenantId, String id) {
    return find("tenantId = ?1 and id = ?2", tenantId, id).firstResultOptional();
  }

  public List<Party> page(String tenantId, String afterId, int limit) {
    return (afterId == null
            ? find("tenantId = ?1", Sort.by("id"), tenantId)
            : find("tenantId = ?1 and id > ?2", Sort.by("id"), tenantId, afterId))
        .page(0, limit + 1)
        .list();
  }
}
