package dev.nudge.tenant;

import dev.nudge.common.auth.ApiKeys;
import dev.nudge.common.auth.CredentialCache;
import dev.nudge.common.ids.Ids;
import dev.nudge.common.paging.Page;
import dev.nudge.common.paging.PageRequest;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.Validator;
import dev.nudge.common.time.TenantClock;
import dev.nudge.tenant.TenantViews.ApiKeyCreated;
import dev.nudge.tenant.TenantViews.ApiKeyView;
import dev.nudge.tenant.TenantViews.CreateTenant;
import dev.nudge.tenant.TenantViews.TenantCreated;
import dev.nudge.tenant.TenantViews.TenantView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

@ApplicationScoped
public class TenantService {

  private final TenantRepository tenants;
  private final TenantClock clock;
  private final CredentialCache credentials;

  public TenantService(TenantRepository tenants, TenantClock clock, CredentialCache credentials) {
    this.tenants = tenants;
    this.clock = clock;
    this.credentials = credentials;
  }

  @Transactional
  public TenantCreated create(CreateTenant request) {
    if (request == null) {
      throw ApiProblem.validation("body", "is required");
    }
    String mode = request.mode() == null ? "live" : request.mode();
    new Validator()
        .required(request.name(), "name")
        .maxLength(request.name(), 200, "name")
        .check(mode.equals("live") || mode.equals("test"), "mode", "must be 'live' or 'test'")
        .throwIfInvalid();
    Tenant t = new Tenant();
    t.id = Ids.generate("ten");
    t.name = request.name().trim();
    t.mode = mode;
    t.createdAt = clock.system();
    t.clockNow = t.testMode() ? t.createdAt : null;
    tenants.persist(t);
    tenants.flush();
    ApiKeyCreated key = issueKey(t);
    return new TenantCreated(t.id, t.name, t.mode, t.createdAt, t.version, key.id(), key.apiKey());
  }

  @Transactional
  public Page<TenantView> list(PageRequest page) {
    return Page.of(
        tenants.page(page.after(), page.limit()), page.limit(), TenantView::of, t -> t.id);
  }

  @Transactional
  public TenantView get(String id) {
    return TenantView.of(find(id));
  }

  @Transactional
  public ApiKeyCreated createKey(String tenantId) {
    return issueKey(find(tenantId));
  }

  @Transactional
  public List<ApiKeyView> keys(String tenantId) {
    find(tenantId);
    return tenants.keys(tenantId).stream().map(ApiKeyView::of).toList();
  }

  @Transactional
  public void revokeKey(String tenantId, String keyId) {
    find(tenantId);
    ApiKey key =
        tenants.key(tenantId, keyId).orElseThrow(() -> ApiProblem.notFound("API key", keyId));
    if (key.revokedAt == null) {
      key.revokedAt = clock.system();
    }
    credentials.forget(key.id);
  }

  private ApiKeyCreated issueKey(Tenant t) {
    String secret = ApiKeys.newKey(t.mode);
    ApiKey key = new ApiKey();
    key.id = Ids.generate("key");
    key.tenantId = t.id;
    key.keyHash = ApiKeys.hash(secret);
    key.prefix = ApiKeys.prefix(secret);
    key.createdAt = clock.system();
    tenants.persistKey(key);
    return new ApiKeyCreated(key.id, t.id, key.prefix, key.createdAt, secret);
  }

  private Tenant find(String id) {
    Tenant t = tenants.findById(id);
    if (t == null) {
      throw ApiProblem.notFound("Tenant", id);
    }
    return t;
  }
}
