package dev.nudge.party;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "party")
public class Party {

  @Id public String id;

  @Column(name = "tenant_id", nullable = false)
  public String tenantId;

  @Column(nullable = false)
  public String handle;

  @Column(name = "display_name", nullable = false)
  public String displayName;

  @Column(nullable = false)
  public String locale;

  @Column(name = "time_zone", nullable = false)
  public String timeZone;

  @Column(name = "quiet_start")
  public String quietStart;

  @Column(name = "quiet_end")
  public String quietEnd;

  /** JSON array of {type, address}. */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  public String channels;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Version public int version;
}
