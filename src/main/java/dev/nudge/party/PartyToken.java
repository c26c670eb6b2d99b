package dev.nudge.party;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A party token: its hash and prefix only; the token itself is shown once, at creation. */
@Entity
@Table(name = "party_token")
public class PartyToken {

  @Id public String id;

  @Column(name = "tenant_id", nullable = false)
  public String tenantId;

  @Column(name = "party_id", nullable = false)
  public String partyId;

  @Column(name = "token_hash", nullable = false)
  public String tokenHash;

  @Column(nullable = false)
  public String prefix;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "expires_at", nullable = false)
  public Instant expiresAt;

  @Column(name = "revoked_at")
  public Instant revokedAt;
}
