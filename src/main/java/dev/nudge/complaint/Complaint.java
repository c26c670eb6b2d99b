package dev.nudge.complaint;

import java.time.Instant;

/**
 * A complaint row, mapped once by {@link ComplaintRepository#TABLE}; see {@link ComplaintCodec}.
 */
public class Complaint {
  public String id;
  public String tenantId;
  public String state;
  public int version;
  public String customerHandle;
  public String customerDisplayName;
  public String channel;
  public String sourceUrl;
  public String subject;
  public String body;
  public String category;
  public String severity;
  public String visibility;
  public String tradeId;
  public String assignee;
  public int escalationLevel;

  /** The SLA durations snapshot, as JSON. */
  public String terms;

  public Instant openedAt;
  public Instant firstResponseTargetAt;
  public Instant firstResponseDueAt;
  public Instant firstRespondedAt;
  public boolean firstResponseWarned;
  public boolean firstResponseBreached;
  public Instant nextReplySince;
  public Instant nextReplyTargetAt;
  public Instant nextReplyDueAt;
  public boolean nextReplyWarned;
  public boolean nextReplyBreached;
  public boolean warned;
  public boolean breached;
  public Instant pausedSince;
  public Instant resolvedAt;
  public Instant followUpDueAt;
  public boolean followUpNotified;
  public Instant createdAt;
  public Instant updatedAt;
  public int eventSeq;
  public Instant timerAt;
  public boolean testClock;
}
