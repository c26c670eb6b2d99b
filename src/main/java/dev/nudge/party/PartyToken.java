package dev.nudge.party;

import java.time.Instant;

/** A party token: its hash and prefix only; the token itself is shown once, at creation. */
public class PartyToken {

  public String id;
  public String tenantId;
  public String partyId;
  public String tokenHash;
  public String prefix;
  public Instant createdAt;
  public Instant expiresAt;
  public Instant revokedAt;
}
