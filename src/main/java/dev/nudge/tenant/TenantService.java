package dev.nudge.tenant;

import dev.nudge.common.auth.ApiKeys;
import dev.nudge.common.auth.CredentialCache;
import dev.nudge.common.db.Jdbc;
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
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

@ApplicationScoped
public class TenantService {

  private final Jdbc jdbc;
  private final TenantRepository tenants;
  private final TenantClock clock;
  private final CredentialCache credentials;

  public TenantService(
      Jdbc jdbc, TenantRepository tenants, TenantClock clock, CredentialCache credentials) {
    this.jdbc = jdbc;
    this.tenants = tenants;
    this.clock = clock;
    this.credentials = credentials;
  }

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
    return jdbc.transaction(
        c -> {
          tenants.insert(c, t);
          ApiKeyCreated key = issueKey(c, t);
          return new TenantCreated(
              t.id, t.name, t.mode, t.createdAt, t.version, key.id(), key.apiKey());
        });
  }

  public Page<TenantView> list(PageRequest page) {
    return Page.of(
        jdbc.call(c -> tenants.page(c, page.after(), page.limit())),
        page.limit(),
        TenantView::of,
        t -> t.id);
  }

  public TenantView get(String id) {
    return TenantView.of(jdbc.call(c -> find(c, id)));
  }

  public ApiKeyCreated createKey(String tenantId) {
    return jdbc.transaction(c -> issueKey(c, find(c, tenantId)));
  }

  public List<ApiKeyView> keys(String tenantId) {
    return jdbc.call(
        c -> {
          find(c, tenantId);
          return tenants.keys(c, tenantId).stream().map(ApiKeyView::of).toList();
        });
  }

  public void revokeKey(String tenantId, String keyId) {
    jdbc.transaction(
        c -> {
          find(c, tenantId);
          ApiKey key =
              tenants
                  .lockKey(c, tenantId, keyId)
                  .orElseThrow(() -> ApiProblem.notFound("API key", keyId));
          if (key.revokedAt == null) {
            key.revokedAt = clock.system();
            tenants.updateKey(c, key);
          }
          return null;
        });
    credentials.forget(keyId);
  }

  private ApiKeyCreated issueKey(Connection c, Tenant t) throws SQLException {
    String secret = ApiKeys.newKey(t.mode);
    ApiKey key = new ApiKey();
    key.id = Ids.generate("key");
    key.tenantId = t.id;
    key.keyHash = ApiKeys.hash(secret);
    key.prefix = ApiKeys.prefix(secret);
    key.createdAt = clock.system();
    tenants.insertKey(c, key);
    return new ApiKeyCreated(key.id, t.id, key.prefix, key.createdAt, secret);
  }

  private Tenant find(Connection c, String id) throws SQLException {
    return tenants.find(c, id).orElseThrow(() -> ApiProblem.notFound("Tenant", id));
  }
}
