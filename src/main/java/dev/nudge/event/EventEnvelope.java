package dev.nudge.event;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;

/** The event as clients see it (SPEC §4); {@code data} is the stored resource JSON verbatim. */
public record EventEnvelope(
    String id,
    String type,
    Instant createdAt,
    Subject subject,
    int sequence,
    @JsonRawValue String data) {

  public record Subject(String kind, String id) {}
}
