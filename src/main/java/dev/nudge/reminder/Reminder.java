package dev.nudge.reminder;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One reminder to the awaited party of a trade, automatic or a manual nudge. */
@Entity
@Table(name = "reminder")
public class Reminder {

  public static final String SCHEDULED = "scheduled";
  public static final String SENT = "sent";
  public static final String DEFERRED = "deferred";

  @Id public String id;

  @Column(name = "trade_id", nullable = false)
  public String tradeId;

  @Column(name = "tenant_id", nullable = false)
  public String tenantId;

  @Column(name = "to_party_id", nullable = false)
  public String toPartyId;

  @Column(nullable = false)
  public int number;

  @Column(nullable = false)
  public String tone;

  public String channel;

  @Column(nullable = false)
  public String locale;

  @Column(nullable = false)
  public String message;

  @Column(name = "scheduled_for", nullable = false)
  public Instant scheduledFor;

  @Column(name = "sent_at")
  public Instant sentAt;

  @Column(nullable = false)
  public String status;

  @Column(nullable = false)
  public boolean manual;
}
