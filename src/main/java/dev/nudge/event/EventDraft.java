package dev.nudge.event;

import java.time.Instant;
import java.util.List;

/**
 * An event about to be written to the outbox with the change it describes.
 *
 * @param sequence the subject's event number, kept by the subject's row (which the writer holds
 *     locked), so it increases without gaps per subject
 * @param partyIds the parties the event is about, for party-scoped webhooks and feeds
 * @param data the resource after the change
 */
public record EventDraft(
    String tenantId,
    String type,
    String subjectKind,
    String subjectId,
    int sequence,
    List<String> partyIds,
    Instant createdAt,
    Object data) {}
