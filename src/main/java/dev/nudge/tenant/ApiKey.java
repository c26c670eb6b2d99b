package dev.nudge.tenant;

import java.time.Instant;

/** A tenant's API key, kept only as a hash. */
public class ApiKey {

  public String id;
  public String tenantId;
  public String keyHash;
  public String prefix;
  public Instant createdAt;
  public Instant revokedAt;
}
