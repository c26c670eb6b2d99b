package dev.nudge.trade;

import com.fasterxml.jackson.annotation.JsonRawValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Request and response bodies of the trade API (SPEC §2 Trade). */
public final class TradeViews {

  private TradeViews() {}

  public record Item(
      @NotNull(message = "must be 'initiator' or 'counterparty'")
          @Pattern(
              regexp = "initiator|counterparty",
              message = "must be 'initiator' or 'counterparty'")
          String from,
      @NotBlank(message = "is required")
          @Size(max = 500, message = "must be at most 500 characters")
          String description) {}

  public record Amount(
      @NotNull(message = "must be a non-negative decimal string such as \"1200\"")
          @Pattern(
              regexp = "\\d{1,15}(\\.\\d{1,6})?",
              message = "must be a non-negative decimal string such as \"1200\"")
          String value,
      @NotNull(message = "must be an ISO 4217 code such as JPY")
          @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as JPY")
          String currency) {}

  public record Source(
      String url, @Size(max = 1000, message = "must be at most 1000 characters") String note) {}

  public record CreateTrade(
      @NotBlank(message = "is required")
          @Size(max = 200, message = "must be at most 200 characters")
          String title,
      @NotBlank(message = "is required") String initiatorId,
      @NotBlank(message = "is required") String counterpartyId,
      @NotEmpty(message = "must list at least one item")
          @Size(max = 50, message = "at most 50 items")
          List<@NotNull(message = "must be an object") @Valid Item> items,
      @Valid Amount amount,
      @Valid Source source,
      String policyId) {}

  public record ActionRequest(
      @NotBlank(message = "is required") String type,
      @NotBlank(message = "is required") String partyId,
      @Size(max = 2000, message = "must be at most 2000 characters") String note,
      String evidenceUrl,
      String extendBy) {}

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
