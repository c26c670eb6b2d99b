package dev.nudge.complaint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nudge.common.metrics.TransitionMetrics;
import dev.nudge.complaint.ComplaintRepository.Entry;
import dev.nudge.complaint.ComplaintViews.ComplaintView;
import dev.nudge.complaint.domain.ComplaintFacts;
import dev.nudge.complaint.domain.ComplaintState;
import dev.nudge.event.EventDraft;
import dev.nudge.event.EventOutbox;
import dev.nudge.event.RawJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Every change of a case, by a response, a customer message, an action or a timer, comes through
 * here: the new facts on the row (its version bumped once), one history entry and the events, with
 * the case serialized once for all of them.
 */
@ApplicationScoped
public class ComplaintChanges {

  /** What happened, for history. */
  public record Change(String actor, String action, ComplaintState from, String note, Instant at) {}

  /**
   * Events besides the state change, in order ({@code complaint.responded}, {@code
   * complaint.sla_breached}…); {@code metric}, when set, is added to their data.
   */
  public record Extra(List<String> types, String metric) {
    public static final Extra NONE = new Extra(List.of(), null);

    public static Extra of(String... types) {
      return new Extra(List.of(types), null);
    }
  }

  public record Prepared(
      Complaint complaint, Entry history, List<EventDraft> events, ComplaintView view) {}

  private final ComplaintRepository complaints;
  private final ComplaintCodec codec;
  private final EventOutbox outbox;
  private final ObjectMapper json;
  private final TransitionMetrics transitions;

  public ComplaintChanges(
      ComplaintRepository complaints,
      ComplaintCodec codec,
      EventOutbox outbox,
      ObjectMapper json,
      TransitionMetrics transitions) {
    this.complaints = complaints;
    this.codec = codec;
    this.outbox = outbox;
    this.json = json;
    this.transitions = transitions;
  }

  /** Applies {@code after} to the row in memory and builds what is written beside it. */
  public Prepared prepare(Complaint c, ComplaintFacts after, Change change, Extra extra) {
    codec.apply(c, after, change.at());
    c.version++;
    Entry h = new Entry();
    h.complaintId = c.id;
    h.at = change.at();
    h.actor = change.actor();
    h.action = change.action();
    h.fromState = change.from() == null ? null : change.from().wire();
    h.toState = after.state().wire();
    h.note = change.note();
    List<String> types = new ArrayList<>(3);
    if (change.from() == null) {
      types.add("complaint.opened");
    } else if (change.from() != after.state()) {
      types.add("complaint.state_changed");
    }
    types.addAll(extra.types());
    if (types.isEmpty()) {
      types.add("complaint.updated");
    }
    ComplaintView view = codec.view(c);
    RawJson data = new RawJson(data(view, extra.metric()));
    List<EventDraft> events = new ArrayList<>(types.size());
    for (String type : types) {
      events.add(
          new EventDraft(
              c.tenantId, type, "complaint", c.id, ++c.eventSeq, List.of(), change.at(), data));
    }
    return new Prepared(c, h, events, view);
  }

  /** Commits one change on the caller's connection ({@code created}: the row is inserted). */
  public ComplaintView commit(
      Connection conn,
      Complaint c,
      ComplaintFacts after,
      Change change,
      Extra extra,
      boolean created)
      throws SQLException {
    Prepared p = prepare(c, after, change, extra);
    if (created) {
      complaints.insert(conn, List.of(c));
    } else {
      complaints.update(conn, List.of(c));
    }
    complaints.insertHistory(conn, List.of(p.history()));
    outbox.appendAll(conn, p.events());
    if (change.from() != null) {
      transitions.count("complaint", change.from().wire(), after.state().wire());
    }
    return p.view();
  }

  /** The case as events carry it; SLA events also say which clock ({@code metric}). */
  private String data(ComplaintView view, String metric) {
    if (metric == null) {
      return codec.write(view);
    }
    ObjectNode node = json.valueToTree(view);
    node.put("metric", metric);
    return codec.write(node);
  }
}
