package dev.nudge.tenant;

import java.time.Instant;

/** Request and response bodies of the tenant-management API. */
public final class TenantViews {

  private TenantViews() {}

  public record CreateTenant(String name, String mode) {}

  public record TenantView(String id, String name, String mode, Instant createdAt, int version) {
    static TenantView of(Tenant t) {
      return new TenantView(t.id, t.name, t.mode, t.createdAt, t.version);
    }
  }

  public record TenantCreated(
      String id,
      String name,
      String mode,
      Instant createdAt,
      int version,
      String apiKeyId,
      String apiKey) {}

  public record ApiKeyView(
      String id, String tenantId, String prefix, Instant createdAt, Instant revokedAt) {
    static ApiKeyView of(ApiKey k) {
      return new ApiKeyView(k.id, k.tenantId, k.prefix, k.createdAt, k.revokedAt);
    }
  }

  public record ApiKeyCreated(
      String id, String tenantId, String prefix, Instant createdAt, String apiKey) {}
}
