package dev.nudge.tenant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A tenant's API key, kept only as a hash. */
@Entity
@Table(name = "api_key")
public class ApiKey {

  @Id public String id;

  @Column(name = "tenant_id", nullable = false)
  public String tenantId;

  @Column(name = "key_hash", nullable = false)
  public String keyHash;

  @Column(nullable = false)
  public String prefix;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "revoked_at")
  public Instant revokedAt;
}
