package dev.nudge.complaint;

import dev.nudge.common.auth.Caller;
import dev.nudge.common.db.Jdbc;
import dev.nudge.common.http.ETags;
import dev.nudge.common.http.Urls;
import dev.nudge.common.ids.Ids;
import dev.nudge.common.paging.Page;
import dev.nudge.common.paging.PageRequest;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.Validator;
import dev.nudge.common.time.TenantClock;
import dev.nudge.complaint.ComplaintChanges.Change;
import dev.nudge.complaint.ComplaintChanges.Extra;
import dev.nudge.complaint.ComplaintRepository.Filter;
import dev.nudge.complaint.ComplaintViews.ActionRequest;
import dev.nudge.complaint.ComplaintViews.ComplaintView;
import dev.nudge.complaint.ComplaintViews.HistoryView;
import dev.nudge.complaint.ComplaintViews.OpenComplaint;
import dev.nudge.complaint.domain.ComplaintAction;
import dev.nudge.complaint.domain.ComplaintFacts;
import dev.nudge.complaint.domain.ComplaintLifecycle;
import dev.nudge.complaint.domain.ComplaintLifecycle.Outcome;
import dev.nudge.complaint.domain.ComplaintLifecycle.Params;
import dev.nudge.complaint.domain.ComplaintState;
import dev.nudge.complaint.domain.Severity;
import dev.nudge.complaint.domain.SlaTerms;
import dev.nudge.trade.TradeRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Opening, reading and acting on complaint cases (SPEC §2 ComplaintCase). */
@ApplicationScoped
public class ComplaintService {

  static final Set<String> CHANNELS = Set.of("x_post", "x_dm", "email", "phone", "web_form");
  static final Set<String> CATEGORIES =
      Set.of("product", "delivery", "billing", "staff", "information", "other");
  static final Set<String> VISIBILITIES = Set.of("public", "private");

  private final Jdbc jdbc;
  private final jakarta.validation.Validator constraints;
  private final ComplaintRepository complaints;
  private final ComplaintCodec codec;
  private final ComplaintChanges changes;
  private final SlaPolicyService policies;
  private final TradeRepository trades;
  private final Caller caller;
  private final TenantClock clock;

  public ComplaintService(
      Jdbc jdbc,
      jakarta.validation.Validator constraints,
      ComplaintRepository complaints,
      ComplaintCodec codec,
      ComplaintChanges changes,
      SlaPolicyService policies,
      TradeRepository trades,
      Caller caller,
      TenantClock clock) {
    this.jdbc = jdbc;
    this.constraints = constraints;
    this.complaints = complaints;
    this.codec = codec;
    this.changes = changes;
    this.policies = policies;
    this.trades = trades;
    this.caller = caller;
    this.clock = clock;
  }

  @Transactional
  public ComplaintView open(OpenComplaint r) {
    String tenantId = caller.tenantId();
    if (r == null) {
      throw ApiProblem.validation("body", "is required");
    }
    Validator v = Validator.of(constraints, r);
    oneOf(v, r.channel(), CHANNELS, "channel");
    oneOf(v, r.category(), CATEGORIES, "category");
    givenOneOf(v, r.visibility(), VISIBILITIES, "visibility");
    Severity severity = r.severity() == null ? null : Severity.parse(r.severity()).orElse(null);
    v.check(
        r.severity() == null || r.severity().isBlank() || severity != null,
        "severity",
        "must be one of low, normal, high, critical");
    v.check(
        r.sourceUrl() == null || Urls.isHttp(r.sourceUrl()), "sourceUrl", "must be an http(s) URL");
    Instant now = clock.now(tenantId);
    Instant posted = Times.parse(r.postedAt(), "postedAt", now, v);
    v.throwIfInvalid();
    return jdbc.call(
        c -> {
          if (r.tradeId() != null && trades.find(c, tenantId, r.tradeId()).isEmpty()) {
            throw ApiProblem.validation("tradeId", "is not a trade of this tenant");
          }
          SlaTerms terms = policies.terms(c, tenantId, severity);
          Instant openedAt = posted != null ? posted : now;
          String visibility =
              r.visibility() != null
                  ? r.visibility()
                  : "x_post".equals(r.channel()) ? "public" : "private";
          Complaint row = new Complaint();
          row.id = Ids.generate("cmp");
          row.tenantId = tenantId;
          row.customerHandle = r.customer().handle().strip();
          row.customerDisplayName = r.customer().displayName();
          row.channel = r.channel();
          row.sourceUrl = r.sourceUrl();
          row.subject = r.subject().strip();
          row.body = r.body();
          row.category = r.category();
          row.severity = severity.wire();
          row.tradeId = r.tradeId();
          row.terms = codec.write(terms);
          row.openedAt = openedAt;
          row.createdAt = now;
          row.testClock = caller.testMode();
          ComplaintFacts facts =
              ComplaintFacts.opened(severity, "public".equals(visibility), terms, openedAt);
          if (r.assignee() != null) {
            facts =
                ComplaintLifecycle.act(
                        facts, ComplaintAction.ASSIGN, new Params(r.assignee(), null), now)
                    .after();
          }
          return changes.commit(
              c,
              row,
              facts,
              new Change(row.customerHandle, "open", null, null, now),
              Extra.NONE,
              true);
        });
  }

  @Transactional
  public ComplaintView get(String id) {
    return codec.view(require(id));
  }

  @Transactional
  public Page<ComplaintView> list(Filter f, PageRequest page) {
    String tenantId = caller.tenantId();
    Validator v = new Validator();
    v.check(
        f.state() == null || ComplaintState.parse(f.state()).isPresent(),
        "state",
        "must be one of "
            + String.join(
                ", ", Arrays.stream(ComplaintState.values()).map(ComplaintState::wire).toList()));
    v.check(
        f.severity() == null || Severity.parse(f.severity()).isPresent(),
        "severity",
        "must be one of low, normal, high, critical");
    oneOf(v, f.category(), CATEGORIES, "category");
    v.throwIfInvalid();
    List<Complaint> rows =
        jdbc.call(c -> complaints.page(c, tenantId, f, page.after(), page.limit()));
    return Page.of(rows, page.limit(), codec::view, c -> c.id);
  }

  @Transactional
  public Page<HistoryView> history(String id, PageRequest page) {
    Complaint c = require(id);
    Long after = null;
    if (page.after() != null) {
      try {
        after = Long.parseLong(page.after());
      } catch (NumberFormatException e) {
        throw ApiProblem.validation("cursor", "is not a cursor this API issued");
      }
    }
    Long from = after;
    return Page.of(
        jdbc.call(conn -> complaints.history(conn, c.id, from, page.limit())),
        page.limit(),
        h -> new HistoryView(h.at, h.actor, h.action, h.fromState, h.toState, h.note),
        h -> Long.toString(h.id));
  }

  @Transactional
  public ComplaintView act(String id, ActionRequest r, String ifMatch) {
    String tenantId = caller.tenantId();
    if (r == null) {
      throw ApiProblem.validation("body", "is required");
    }
    Validator v = Validator.of(constraints, r);
    ComplaintAction action =
        r.type() == null
            ? null
            : ComplaintAction.parse(r.type())
                .filter(ComplaintAction.ENDPOINT_ACTIONS::contains)
                .orElse(null);
    v.check(
        r.type() == null || r.type().isBlank() || action != null,
        "type",
        "must be one of "
            + String.join(
                ", ",
                ComplaintAction.ENDPOINT_ACTIONS.stream().map(ComplaintAction::wire).toList()));
    v.check(
        action != ComplaintAction.ASSIGN || r.assignee() != null && !r.assignee().isBlank(),
        "assignee",
        "is required for assign");
    v.check(
        action != ComplaintAction.PAUSE_SLA || r.reason() != null && !r.reason().isBlank(),
        "reason",
        "is required for pause_sla");
    v.check(
        action != ComplaintAction.RECORD_FOLLOW_UP || r.satisfied() != null,
        "satisfied",
        "is required for record_follow_up");
    v.throwIfInvalid();
    return jdbc.call(
        c -> {
          Complaint row = lock(c, tenantId, id);
          ETags.check(ifMatch, row.version);
          Instant now = clock.now(tenantId);
          Outcome o =
              ComplaintLifecycle.act(
                  codec.facts(row), action, new Params(r.assignee(), r.satisfied()), now);
          String note = action == ComplaintAction.PAUSE_SLA ? r.reason() : r.note();
          String actor = r.actor() == null || r.actor().isBlank() ? "support" : r.actor();
          Extra extra =
              action == ComplaintAction.ESCALATE ? Extra.of("complaint.escalated") : Extra.NONE;
          return changes.commit(
              c,
              row,
              o.after(),
              new Change(actor, action.wire(), o.from(), note, now),
              extra,
              false);
        });
  }

  /** The caller's case or 404 (another tenant's case is not found, never forbidden). */
  public Complaint require(String id) {
    String tenantId = caller.tenantId();
    return jdbc.call(c -> complaints.find(c, tenantId, id))
        .orElseThrow(() -> ApiProblem.notFound("Complaint", id));
  }

  Complaint lock(Connection c, String tenantId, String id) throws SQLException {
    return complaints.lock(c, tenantId, id).orElseThrow(() -> ApiProblem.notFound("Complaint", id));
  }

  /** An optional field: absent (null) or one of {@code allowed}; empty text is neither. */
  static void givenOneOf(Validator v, String value, Set<String> allowed, String field) {
    v.check(
        value == null || allowed.contains(value),
        field,
        "must be one of " + String.join(", ", allowed.stream().sorted().toList()));
  }

  static void oneOf(Validator v, String value, Set<String> allowed, String field) {
    v.check(
        value == null || value.isBlank() || allowed.contains(value),
        field,
        "must be one of " + String.join(", ", allowed.stream().sorted().toList()));
  }
}
