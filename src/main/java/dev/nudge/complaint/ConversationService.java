package dev.nudge.complaint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.auth.ApiKeys;
import dev.nudge.common.auth.Caller;
import dev.nudge.common.db.Jdbc;
import dev.nudge.common.ids.Ids;
import dev.nudge.common.paging.Page;
import dev.nudge.common.paging.PageRequest;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.ProblemType;
import dev.nudge.common.problem.Validator;
import dev.nudge.common.time.TenantClock;
import dev.nudge.complaint.ComplaintChanges.Change;
import dev.nudge.complaint.ComplaintChanges.Extra;
import dev.nudge.complaint.ComplaintViews.ComplaintView;
import dev.nudge.complaint.ComplaintViews.MessageRecorded;
import dev.nudge.complaint.ComplaintViews.MessageRequest;
import dev.nudge.complaint.ComplaintViews.MessageView;
import dev.nudge.complaint.ComplaintViews.Responded;
import dev.nudge.complaint.ComplaintViews.ResponseRequest;
import dev.nudge.complaint.ComplaintViews.ResponseView;
import dev.nudge.complaint.domain.ComplaintAction;
import dev.nudge.complaint.domain.ComplaintFacts;
import dev.nudge.complaint.domain.ComplaintLifecycle;
import dev.nudge.complaint.domain.ComplaintLifecycle.Outcome;
import dev.nudge.complaint.domain.ComplaintLifecycle.Params;
import dev.nudge.complaint.domain.ResponseChecks;
import dev.nudge.complaint.domain.ResponseChecks.Warning;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The conversation of a case: the support team's responses (with their quality checks) and the
 * customer's further messages, each of which starts the next-reply clock.
 */
@ApplicationScoped
public class ConversationService {

  /** How far back the copy-paste check looks. */
  static final Duration SAME_TEXT_WINDOW = Duration.ofDays(30);

  private static final int NOTE_LENGTH = 500;

  private final Jdbc jdbc;
  private final jakarta.validation.Validator constraints;
  private final ComplaintService complaints;
  private final ComplaintCodec codec;
  private final ComplaintChanges changes;
  private final Caller caller;
  private final TenantClock clock;
  private final ObjectMapper json;

  public ConversationService(
      Jdbc jdbc,
      jakarta.validation.Validator constraints,
      ComplaintService complaints,
      ComplaintCodec codec,
      ComplaintChanges changes,
      Caller caller,
      TenantClock clock,
      ObjectMapper json) {
    this.jdbc = jdbc;
    this.constraints = constraints;
    this.complaints = complaints;
    this.codec = codec;
    this.changes = changes;
    this.caller = caller;
    this.clock = clock;
    this.json = json;
  }

  /**
   * Records a response. With {@code strict}, a response that draws a warning is refused (422 with
   * the warnings) and nothing is recorded.
   */
  @Transactional
  public Responded respond(String id, ResponseRequest r, boolean strict) {
    String tenantId = caller.tenantId();
    if (r == null) {
      throw ApiProblem.validation("body", "is required");
    }
    Validator v = Validator.of(constraints, r);
    ComplaintService.givenOneOf(v, r.visibility(), ComplaintService.VISIBILITIES, "visibility");
    v.throwIfInvalid();
    return jdbc.call(
        c -> {
          Complaint row = complaints.lock(c, tenantId, id);
          ComplaintFacts before = codec.facts(row);
          Instant now = clock.now(tenantId);
          String visibility =
              r.visibility() != null ? r.visibility() : before.publicCase() ? "public" : "private";
          String key = ApiKeys.hash(ResponseChecks.normalise(r.body()));
          List<Warning> warnings =
              ResponseChecks.check(
                  r.body(),
                  "public".equals(visibility),
                  before.awaitingFirstResponse(),
                  sameTextCases(c, tenantId, key, row.id, now));
          if (strict && !warnings.isEmpty()) {
            throw new ApiProblem(
                    ProblemType.UNPROCESSABLE,
                    "The response draws "
                        + warnings.size()
                        + " warning(s) and strict=true; nothing was recorded.")
                .with("warnings", warnings);
          }
          Outcome o = ComplaintLifecycle.act(before, ComplaintAction.RESPOND, Params.NONE, now);
          ResponseView response =
              new ResponseView(
                  Ids.generate("rsp"), row.id, r.author(), visibility, r.body(), warnings, now);
          insertResponse(c, tenantId, response, key);
          ComplaintView view =
              changes.commit(
                  c,
                  row,
                  o.after(),
                  new Change(r.author(), "respond", o.from(), note(visibility, r.body()), now),
                  Extra.of("complaint.responded"),
                  false);
          return new Responded(response, warnings, view);
        });
  }

  /** Records a further message of the customer, which starts the next-reply clock. */
  @Transactional
  public MessageRecorded message(String id, MessageRequest r) {
    String tenantId = caller.tenantId();
    if (r == null) {
      throw ApiProblem.validation("body", "is required");
    }
    Validator v = Validator.of(constraints, r);
    Instant now = clock.now(tenantId);
    Instant at = Times.parse(r.at(), "at", now, v);
    v.throwIfInvalid();
    return jdbc.call(
        c -> {
          Complaint row = complaints.lock(c, tenantId, id);
          Instant written = at != null ? at : now;
          if (written.isBefore(row.openedAt)) {
            throw ApiProblem.validation(
                "at", "must not be before the case opened (" + row.openedAt + ")");
          }
          Outcome o =
              ComplaintLifecycle.act(
                  codec.facts(row), ComplaintAction.CUSTOMER_MESSAGE, Params.NONE, written);
          MessageView message =
              new MessageView(Ids.generate("msg"), row.id, r.body(), written, now);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "insert into complaint_message (id, complaint_id, tenant_id, body, at,"
                      + " created_at) values (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, message.id());
            ps.setString(2, row.id);
            ps.setString(3, tenantId);
            ps.setString(4, r.body());
            ps.setObject(5, written.atOffset(ZoneOffset.UTC));
            ps.setObject(6, now.atOffset(ZoneOffset.UTC));
            ps.executeUpdate();
          }
          ComplaintView view =
              changes.commit(
                  c,
                  row,
                  o.after(),
                  new Change(
                      row.customerHandle, "customer_message", o.from(), truncate(r.body()), now),
                  Extra.of("complaint.customer_replied"),
                  false);
          return new MessageRecorded(message, view);
        });
  }

  @Transactional
  public Page<ResponseView> responses(String id, PageRequest page) {
    Complaint row = complaints.require(id);
    return Page.of(
        jdbc.call(c -> responses(c, row.id, page.after(), page.limit())),
        page.limit(),
        r -> r,
        ResponseView::id);
  }

  @Transactional
  public Page<MessageView> messages(String id, PageRequest page) {
    Complaint row = complaints.require(id);
    return Page.of(
        jdbc.call(c -> messages(c, row.id, page.after(), page.limit())),
        page.limit(),
        m -> m,
        MessageView::id);
  }

  /** On how many other cases of the tenant the same text went out in the last 30 days. */
  private static long sameTextCases(
      Connection c, String tenantId, String key, String complaintId, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select count(distinct complaint_id) from complaint_response where tenant_id = ?"
                + " and body_key = ? and complaint_id <> ? and created_at >= ?")) {
      ps.setString(1, tenantId);
      ps.setString(2, key);
      ps.setString(3, complaintId);
      ps.setObject(4, now.minus(SAME_TEXT_WINDOW).atOffset(ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private void insertResponse(Connection c, String tenantId, ResponseView r, String key)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into complaint_response (id, complaint_id, tenant_id, author, visibility, body,"
                + " body_key, warnings, created_at) values (?, ?, ?, ?, ?, ?, ?, ?::json, ?)")) {
      ps.setString(1, r.id());
      ps.setString(2, r.complaintId());
      ps.setString(3, tenantId);
      ps.setString(4, r.author());
      ps.setString(5, r.visibility());
      ps.setString(6, r.body());
      ps.setString(7, key);
      ps.setString(8, codec.write(r.warnings()));
      ps.setObject(9, r.createdAt().atOffset(ZoneOffset.UTC));
      ps.executeUpdate();
    }
  }

  private List<ResponseView> responses(Connection c, String complaintId, String after, int limit)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select id, author, visibility, body, warnings::text, created_at from"
                + " complaint_response where complaint_id = ? and id > ? order by id limit ?")) {
      ps.setString(1, complaintId);
      ps.setString(2, after == null ? "" : after);
      ps.setInt(3, limit + 1);
      List<ResponseView> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new ResponseView(
                  rs.getString(1),
                  complaintId,
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  warnings(rs.getString(5)),
                  rs.getObject(6, OffsetDateTime.class).toInstant()));
        }
      }
      return out;
    }
  }

  private static List<MessageView> messages(
      Connection c, String complaintId, String after, int limit) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select id, body, at, created_at from complaint_message"
                + " where complaint_id = ? and id > ? order by id limit ?")) {
      ps.setString(1, complaintId);
      ps.setString(2, after == null ? "" : after);
      ps.setInt(3, limit + 1);
      List<MessageView> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new MessageView(
                  rs.getString(1),
                  complaintId,
                  rs.getString(2),
                  rs.getObject(3, OffsetDateTime.class).toInstant(),
                  rs.getObject(4, OffsetDateTime.class).toInstant()));
        }
      }
      return out;
    }
  }

  private List<Warning> warnings(String stored) {
    try {
      return json.readValue(stored, new TypeReference<List<Warning>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored warnings unreadable", e);
    }
  }

  private static String note(String visibility, String body) {
    return visibility + ": " + truncate(body);
  }

  private static String truncate(String body) {
    return body.length() <= NOTE_LENGTH ? body : body.substring(0, NOTE_LENGTH) + "…";
  }
}
