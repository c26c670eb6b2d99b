package dev.nudge.tenant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** An integrating application; test-mode tenants carry a frozen clock. */
@Entity
@Table(name = "tenant")
public class Tenant {

  @Id public String id;

  @Column(nullable = false)
  public String name;

  @Column(nullable = false)
  public String mode;

  @Column(name = "clock_now")
  public Instant clockNow;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Version public int version;

  public boolean testMode() {
    return "test".equals(mode);
  }
}
