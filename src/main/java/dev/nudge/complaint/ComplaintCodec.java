package dev.nudge.complaint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.time.Durations;
import dev.nudge.complaint.ComplaintViews.ComplaintView;
import dev.nudge.complaint.ComplaintViews.CustomerView;
import dev.nudge.complaint.ComplaintViews.SlaView;
import dev.nudge.complaint.domain.ComplaintFacts;
import dev.nudge.complaint.domain.ComplaintFacts.FirstResponse;
import dev.nudge.complaint.domain.ComplaintFacts.FollowUp;
import dev.nudge.complaint.domain.ComplaintFacts.NextReply;
import dev.nudge.complaint.domain.ComplaintLifecycle;
import dev.nudge.complaint.domain.ComplaintState;
import dev.nudge.complaint.domain.ComplaintTimers;
import dev.nudge.complaint.domain.Severity;
import dev.nudge.complaint.domain.SlaTerms;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Turns complaint rows into domain facts and client views, and facts back into rows. */
@ApplicationScoped
public class ComplaintCodec {

  private static final int CACHED_TERMS = 1000;

  private final ObjectMapper json;
  private final Map<String, SlaTerms> terms = new ConcurrentHashMap<>();

  public ComplaintCodec(ObjectMapper json) {
    this.json = json;
  }

  /** The terms as stored on a case: ISO-8601 durations by name. */
  public String write(SlaTerms t) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("firstResponseTarget", Durations.format(t.firstResponseTarget()));
    m.put("firstResponseDeadline", Durations.format(t.firstResponseDeadline()));
    m.put("nextReplyTarget", Durations.format(t.nextReplyTarget()));
    m.put("nextReplyDeadline", Durations.format(t.nextReplyDeadline()));
    m.put("followUpAfter", Durations.format(t.followUpAfter()));
    return write((Object) m);
  }

  /** A case's terms; shared by many cases, so parsed ones are kept. */
  SlaTerms terms(Complaint c) {
    SlaTerms t = terms.get(c.terms);
    if (t == null) {
      if (terms.size() >= CACHED_TERMS) {
        terms.clear();
      }
      try {
        Map<?, ?> m = json.readValue(c.terms, Map.class);
        t =
            new SlaTerms(
                Duration.parse((String) m.get("firstResponseTarget")),
                Duration.parse((String) m.get("firstResponseDeadline")),
                Duration.parse((String) m.get("nextReplyTarget")),
                Duration.parse((String) m.get("nextReplyDeadline")),
                Duration.parse((String) m.get("followUpAfter")));
      } catch (JsonProcessingException | RuntimeException e) {
        throw new IllegalStateException("stored complaint terms unreadable", e);
      }
      terms.put(c.terms, t);
    }
    return t;
  }

  public ComplaintFacts facts(Complaint c) {
    return new ComplaintFacts(
        ComplaintState.parse(c.state).orElseThrow(),
        Severity.parse(c.severity).orElseThrow(),
        "public".equals(c.visibility),
        c.escalationLevel,
        c.assignee,
        terms(c),
        c.openedAt,
        new FirstResponse(
            c.firstResponseTargetAt,
            c.firstResponseDueAt,
            c.firstRespondedAt,
            c.firstResponseWarned,
            c.firstResponseBreached),
        c.nextReplyDueAt == null
            ? null
            : new NextReply(
                c.nextReplySince,
                c.nextReplyTargetAt,
                c.nextReplyDueAt,
                c.nextReplyWarned,
                c.nextReplyBreached),
        c.followUpDueAt == null
            ? null
            : new FollowUp(c.resolvedAt, c.followUpDueAt, c.followUpNotified),
        c.warned,
        c.breached,
        c.pausedSince);
  }

  /** Writes {@code f} onto the row, with its next timer, as changed at {@code at}. */
  public void apply(Complaint c, ComplaintFacts f, Instant at) {
    c.state = f.state().wire();
    c.visibility = f.publicCase() ? "public" : "private";
    c.escalationLevel = f.escalationLevel();
    c.assignee = f.assignee();
    FirstResponse fr = f.firstResponse();
    c.firstResponseTargetAt = fr.targetAt();
    c.firstResponseDueAt = fr.dueAt();
    c.firstRespondedAt = fr.respondedAt();
    c.firstResponseWarned = fr.warned();
    c.firstResponseBreached = fr.breached();
    NextReply nr = f.nextReply();
    c.nextReplySince = nr == null ? null : nr.since();
    c.nextReplyTargetAt = nr == null ? null : nr.targetAt();
    c.nextReplyDueAt = nr == null ? null : nr.dueAt();
    c.nextReplyWarned = nr != null && nr.warned();
    c.nextReplyBreached = nr != null && nr.breached();
    c.warned = f.warned();
    c.breached = f.breached();
    c.pausedSince = f.pausedSince();
    FollowUp fu = f.followUp();
    c.resolvedAt = fu == null ? null : fu.resolvedAt();
    c.followUpDueAt = fu == null ? null : fu.dueAt();
    c.followUpNotified = fu != null && fu.notified();
    c.timerAt = ComplaintTimers.nextAt(f).orElse(null);
    c.updatedAt = at;
  }

  public ComplaintView view(Complaint c) {
    ComplaintFacts f = facts(c);
    return new ComplaintView(
        c.id,
        c.state,
        c.version,
        new CustomerView(c.customerHandle, c.customerDisplayName),
        c.channel,
        c.sourceUrl,
        c.subject,
        c.body,
        c.category,
        c.severity,
        c.visibility,
        c.tradeId,
        c.assignee,
        c.escalationLevel,
        new SlaView(
            c.firstResponseTargetAt,
            c.firstResponseDueAt,
            c.firstRespondedAt,
            c.warned,
            c.breached,
            c.pausedSince,
            f.state() == ComplaintState.RESOLVED ? c.followUpDueAt : null,
            c.nextReplyTargetAt,
            c.nextReplyDueAt),
        ComplaintLifecycle.allowedActions(f),
        c.createdAt,
        c.updatedAt);
  }

  public String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
