package dev.nudge.trade;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One append-only history entry: an action or a timer, and the transition it caused. */
@Entity
@Table(name = "trade_history")
public class TradeHistory {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "trade_id", nullable = false)
  public String tradeId;

  @Column(nullable = false)
  public Instant at;

  @Column(nullable = false)
  public String actor;

  @Column(nullable = false)
  public String action;

  @Column(name = "from_state")
  public String fromState;

  @Column(name = "to_state", nullable = false)
  public String toState;

  public String note;

  @Column(name = "evidence_url")
  public String evidenceUrl;
}
