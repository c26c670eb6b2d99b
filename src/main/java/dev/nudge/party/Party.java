package dev.nudge.party;

import java.time.Instant;

/** A person trading or complaining, as the tenant's app knows them. */
public class Party {

  public String id;
  public String tenantId;
  public String handle;
  public String displayName;
  public String locale;
  public String timeZone;
  public String quietStart;
  public String quietEnd;

  /** JSON array of {type, address}. */
  public String channels;

  public Instant createdAt;
  public int version;
}
