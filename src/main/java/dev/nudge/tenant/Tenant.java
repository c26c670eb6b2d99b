package dev.nudge.tenant;

import java.time.Instant;

/** An integrating application; test-mode tenants carry a frozen clock. */
public class Tenant {

  public String id;
  public String name;
  public String mode;
  public Instant clockNow;
  public Instant createdAt;
  public int version;

  public boolean testMode() {
    return "test".equals(mode);
  }
}
