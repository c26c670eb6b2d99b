package dev.nudge.trade;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Request and response bodies of the trade API (SPEC §2 Trade). */
public final class TradeViews {

  private TradeViews() {}

  public record Item(String from, String description) {}

  public record Amount(String value, String currency) {}

  public record Source(String url, String note) {}

  public record CreateTrade(
      String title,
      String initiatorId,
      String counterpartyId,
      List<Item> items,
      Amount amount,
      Source source,
      String policyId) {}

  public record ActionRequest(
      String type, String partyId, String note, String evidenceUrl, String extendBy) {}

  public record AwaitingView(
      String partyId, String kind, String requestedBy, Instant since, Instant dueAt) {}

  public record RemindersView(int sent, int max, Instant lastAt, Instant nextAt) {}

  public record MilestonesView(
      Instant paymentConfirmedAt, Instant shipmentConfirmedAt, Instant receiptConfirmedAt) {}

  public record CompletionsView(Instant initiator, Instant counterparty) {}

  public record CancellationView(
      String reason, String byPartyId, boolean automatic, Instant at, String note) {}

  /**
   * A trade as clients see it. {@code items}, {@code amount}, {@code source} and {@code policy} are
   * the JSON the trade stores, written as they are (they never change after creation), so showing a
   * trade parses none of them.
   */
  public record TradeView(
      String id,
      String state,
      int version,
      String title,
      String initiatorId,
      String counterpartyId,
      @JsonRawValue String items,
      @JsonRawValue String amount,
      @JsonRawValue String source,
      @JsonRawValue String policy,
      AwaitingView awaiting,
      RemindersView reminders,
      MilestonesView milestones,
      CompletionsView completions,
      CancellationView cancellation,
      Map<String, List<String>> allowedActions,
      Instant completedAt,
      Instant createdAt,
      Instant updatedAt) {}

  public record HistoryView(
      Instant at,
      String actor,
      String action,
      String fromState,
      String toState,
      String note,
      String evidenceUrl) {}
}
