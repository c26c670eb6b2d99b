package dev.nudge.complaint;

import dev.nudge.complaint.domain.ResponseChecks.Warning;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/** Request and response bodies of the complaint API (SPEC §2 ComplaintCase). */
public final class ComplaintViews {

  private ComplaintViews() {}

  public record Customer(
      @NotBlank(message = "is required")
          @Size(max = 100, message = "must be at most 100 characters")
          String handle,
      @Size(max = 200, message = "must be at most 200 characters") String displayName) {}

  public record OpenComplaint(
      @NotNull(message = "is required") @Valid Customer customer,
      @NotBlank(message = "is required") String channel,
      @Size(max = 2000, message = "must be at most 2000 characters") String sourceUrl,
      @NotBlank(message = "is required")
          @Size(max = 300, message = "must be at most 300 characters")
          String subject,
      @Size(max = 10000, message = "must be at most 10000 characters") String body,
      @NotBlank(message = "is required") String category,
      @NotBlank(message = "is required") String severity,
      String visibility,
      String tradeId,
      @Size(max = 200, message = "must be at most 200 characters") String assignee,
      String postedAt) {}

  public record ResponseRequest(
      @NotBlank(message = "is required")
          @Size(max = 200, message = "must be at most 200 characters")
          String author,
      String visibility,
      @NotBlank(message = "is required")
          @Size(max = 10000, message = "must be at most 10000 characters")
          String body) {}

  public record MessageRequest(
      @NotBlank(message = "is required")
          @Size(max = 10000, message = "must be at most 10000 characters")
          String body,
      String at) {}

  public record ActionRequest(
      @NotBlank(message = "is required") String type,
      @Size(max = 2000, message = "must be at most 2000 characters") String note,
      @Size(max = 200, message = "must be at most 200 characters") String assignee,
      @Size(max = 500, message = "must be at most 500 characters") String reason,
      Boolean satisfied,
      @Size(max = 200, message = "must be at most 200 characters") String actor) {}

  public record CustomerView(String handle, String displayName) {}

  public record SlaView(
      Instant firstResponseTargetAt,
      Instant firstResponseDueAt,
      Instant firstRespondedAt,
      boolean warned,
      boolean breached,
      Instant pausedSince,
      Instant followUpDueAt,
      Instant nextReplyTargetAt,
      Instant nextReplyDueAt) {}

  public record ComplaintView(
      String id,
      String state,
      int version,
      CustomerView customer,
      String channel,
      String sourceUrl,
      String subject,
      String body,
      String category,
      String severity,
      String visibility,
      String tradeId,
      String assignee,
      int escalationLevel,
      SlaView sla,
      List<String> allowedActions,
      Instant createdAt,
      Instant updatedAt) {}

  public record ResponseView(
      String id,
      String complaintId,
      String author,
      String visibility,
      String body,
      List<Warning> warnings,
      Instant createdAt) {}

  /** The answer to a recorded response: SPEC's {response, warnings}, and the case after it. */
  public record Responded(ResponseView response, List<Warning> warnings, ComplaintView complaint) {}

  public record MessageView(
      String id, String complaintId, String body, Instant at, Instant createdAt) {}

  public record MessageRecorded(MessageView message, ComplaintView complaint) {}

  public record HistoryView(
      Instant at, String actor, String action, String fromState, String toState, String note) {}
}
