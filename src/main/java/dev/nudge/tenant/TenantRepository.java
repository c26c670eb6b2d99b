package dev.nudge.tenant;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class TenantRepository implements PanacheRepositoryBase<Tenant, String> {

  public List<Tenant> page(String afterId, int limit) {
    return (afterId == null ? find("order by id") : find("id > ?1", Sort.by("id"), afterId))
        .page(0, limit + 1)
        .list();
  }

  public Optional<Tenant> lock(String id) {
    return Optional.ofNullable(findById(id, LockModeType.PESSIMISTIC_WRITE));
  }

  public List<ApiKey> keys(String tenantId) {
    return getEntityManager()
        .createQuery("from ApiKey where tenantId = ?1 order by id", ApiKey.class)
        .setParameter(1, tenantId)
        .getResultList();
  }

  public Optional<ApiKey> key(String tenantId, String keyId) {
    return getEntityManager()
        .createQuery("from ApiKey where tenantId = ?1 and id = ?2", ApiKey.class)
        .setParameter(1, tenantId)
        .setParameter(2, keyId)
        .getResultStream()
        .findFirst();
  }

  public void persistKey(ApiKey key) {
    getEntityManager().persist(key);
  }
}
