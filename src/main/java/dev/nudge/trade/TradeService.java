package dev.nudge.trade;

import dev.nudge.common.auth.Caller;
import dev.nudge.common.db.Jdbc;
import dev.nudge.common.http.ETags;
import dev.nudge.common.http.Urls;
import dev.nudge.common.ids.Ids;
import dev.nudge.common.paging.Page;
import dev.nudge.common.paging.PageRequest;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.Validator;
import dev.nudge.common.time.Durations;
import dev.nudge.common.time.TenantClock;
import dev.nudge.party.PartyService;
import dev.nudge.trade.TradeChanges.Change;
import dev.nudge.trade.TradeChanges.Shown;
import dev.nudge.trade.TradeViews.ActionRequest;
import dev.nudge.trade.TradeViews.CreateTrade;
import dev.nudge.trade.TradeViews.HistoryView;
import dev.nudge.trade.TradeViews.Item;
import dev.nudge.trade.TradeViews.TradeView;
import dev.nudge.trade.domain.Policy;
import dev.nudge.trade.domain.TradeAction;
import dev.nudge.trade.domain.TradeFacts;
import dev.nudge.trade.domain.TradeLifecycle;
import dev.nudge.trade.domain.TradeState;
import dev.nudge.trade.policy.PolicyService;
import dev.nudge.trade.policy.PolicyViews.PolicySnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

@ApplicationScoped
public class TradeService {

  private final Jdbc jdbc;
  private final jakarta.validation.Validator constraints;
  private final TradeRepository trades;
  private final TradeCodec codec;
  private final TradeChanges changes;
  private final PartyService parties;
  private final PolicyService policies;
  private final Caller caller;
  private final TenantClock clock;

  public TradeService(
      Jdbc jdbc,
      jakarta.validation.Validator constraints,
      TradeRepository trades,
      TradeCodec codec,
      TradeChanges changes,
      PartyService parties,
      PolicyService policies,
      Caller caller,
      TenantClock clock) {
    this.jdbc = jdbc;
    this.constraints = constraints;
    this.trades = trades;
    this.codec = codec;
    this.changes = changes;
    this.parties = parties;
    this.policies = policies;
    this.caller = caller;
    this.clock = clock;
  }

  /**
   * Records a trade: its row, parties, history entry and {@code trade.created} event in one
   * transaction (a plain JDBC one: this path needs no transaction manager).
   */
  public Shown create(CreateTrade r) {
    if (r == null) {
      throw ApiProblem.validation("body", "is required");
    }
    String tenantId = caller.tenantId();
    Validator v = Validator.of(constraints, r);
    v.check(
        r.initiatorId() == null || !r.initiatorId().equals(r.counterpartyId()),
        "counterpartyId",
        "must differ from initiatorId");
    List<Item> items = r.items() == null ? List.of() : r.items();
    if (r.source() != null) {
      v.check(Urls.isHttp(r.source().url()), "source.url", "must be an http(s) URL");
    }
    v.throwIfInvalid();
    boolean testMode = caller.testMode();
    return jdbc.transaction(
        c -> {
          Policy policy = policies.forTrade(c, r.policyId());
          Set<String> known = parties.existing(c, List.of(r.initiatorId(), r.counterpartyId()));
          v.check(known.contains(r.initiatorId()), "initiatorId", "is not a party of this tenant");
          v.check(
              known.contains(r.counterpartyId()),
              "counterpartyId",
              "is not a party of this tenant");
          v.throwIfInvalid();
          Instant now = clock.now(c, tenantId);
          Trade t = new Trade();
          t.id = Ids.generate("trd");
          t.tenantId = tenantId;
          t.title = r.title().trim();
          t.initiatorId = r.initiatorId();
          t.counterpartyId = r.counterpartyId();
          t.items = codec.write(items);
          t.amount = r.amount() == null ? null : codec.write(r.amount());
          t.source = r.source() == null ? null : codec.write(r.source());
          t.policy = codec.write(PolicySnapshot.of(policy));
          t.createdAt = now;
          t.testClock = testMode;
          TradeFacts facts = TradeFacts.agreed(t.initiatorId, t.counterpartyId, policy);
          return changes.commit(
              c, t, facts, new Change(t.initiatorId, "create", null, null, null, now), null, true);
        });
  }

  @Transactional
  public TradeView get(String id) {
    return codec.view(require(id));
  }

  @Transactional
  public Page<TradeView> list(String state, String partyId, PageRequest page) {
    if (state != null && TradeState.parse(state).isEmpty()) {
      throw ApiProblem.validation(
          "state",
          "must be one of "
              + String.join(
                  ", ", Arrays.stream(TradeState.values()).map(TradeState::wire).toList()));
    }
    String party = caller.partyId() != null ? caller.partyId() : partyId;
    if (partyId != null && caller.partyId() != null && !partyId.equals(caller.partyId())) {
      throw ApiProblem.forbidden("A party token may only list its own trades.");
    }
    List<Trade> rows =
        jdbc.call(c -> trades.page(c, caller.tenantId(), state, party, page.after(), page.limit()));
    return Page.of(rows, page.limit(), codec::view, t -> t.id);
  }

  @Transactional
  public Page<TradeView> forParty(String partyId, String state, PageRequest page) {
    parties.require(partyId);
    return list(state, partyId, page);
  }

  /**
   * An action on a trade, in one transaction that first locks the row, so concurrent actions on one
   * trade run one after another and none is lost. Answers, in this order: 404 for no such trade,
   * 403 for a party token's other trades, 400 for a malformed action, 412 for a stale If-Match, 403
   * for a party not of the trade, then the lifecycle's own refusals.
   */
  public Shown act(String id, ActionRequest r, String ifMatch) {
    return jdbc.transaction(
        c -> {
          Trade t =
              trades
                  .lock(c, caller.tenantId(), id)
                  .orElseThrow(() -> ApiProblem.notFound("Trade", id));
          requireReachable(t);
          if (r == null) {
            throw ApiProblem.validation("body", "is required");
          }
          Validator v = Validator.of(constraints, r);
          TradeAction action = r.type() == null ? null : TradeAction.parse(r.type()).orElse(null);
          v.check(
              r.type() == null || r.type().isBlank() || action != null,
              "type",
              "must be one of "
                  + String.join(
                      ", ", Arrays.stream(TradeAction.values()).map(TradeAction::wire).toList()));
          v.check(
              r.evidenceUrl() == null || Urls.isHttp(r.evidenceUrl()),
              "evidenceUrl",
              "must be an http(s) URL");
          Duration extendBy = Durations.parse(r.extendBy(), "extendBy", Duration.ofSeconds(1), v);
          v.check(
              action != TradeAction.EXTEND_DEADLINE || r.extendBy() != null,
              "extendBy",
              "is required for extend_deadline");
          v.throwIfInvalid();
          return act(c, t, r, action, extendBy, ifMatch);
        });
  }

  private Shown act(
      Connection c, Trade t, ActionRequest r, TradeAction action, Duration extendBy, String ifMatch)
      throws SQLException {
    ETags.check(ifMatch, t.version);
    TradeFacts before = codec.facts(t);
    if (!before.isParty(r.partyId())) {
      throw ApiProblem.forbidden("Party " + r.partyId() + " is not a party of this trade.");
    }
    caller.requireActingAs(r.partyId());
    Instant now = clock.now(c, t.tenantId);
    TradeLifecycle.Outcome outcome =
        TradeLifecycle.act(
            before, action, r.partyId(), extendBy, outcomeNote(c, t, r, action), now);
    return changes.commit(
        c,
        t,
        outcome.after(),
        new Change(r.partyId(), action.wire(), outcome.from(), r.note(), r.evidenceUrl(), now),
        null,
        false);
  }

  /**
   * The note the trade keeps ({@code cancellation.note}): a mutual cancellation keeps the reason
   * given with the request it grants, unless the request gave none; the history keeps both.
   */
  private String outcomeNote(Connection c, Trade t, ActionRequest r, TradeAction action)
      throws SQLException {
    if (action != TradeAction.ACCEPT_CANCELLATION) {
      return r.note();
    }
    String requested = trades.lastNote(c, t.id, TradeAction.REQUEST_CANCELLATION.wire());
    return requested != null ? requested : r.note();
  }

  @Transactional
  public Page<HistoryView> history(String id, PageRequest page) {
    Trade t = require(id);
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
        jdbc.call(c -> trades.history(c, t.id, from, page.limit())),
        page.limit(),
        h ->
            new HistoryView(h.at, h.actor, h.action, h.fromState, h.toState, h.note, h.evidenceUrl),
        h -> Long.toString(h.id));
  }

  /**
   * The caller's trade, or 404 (another tenant's trade does not exist for this caller); a party
   * token reaches only its own party's trades (403 for the others of its tenant).
   */
  public Trade require(String id) {
    Trade t =
        jdbc.call(c -> trades.find(c, caller.tenantId(), id))
            .orElseThrow(() -> ApiProblem.notFound("Trade", id));
    requireReachable(t);
    return t;
  }

  private void requireReachable(Trade t) {
    if (caller.partyId() != null
        && !caller.partyId().equals(t.initiatorId)
        && !caller.partyId().equals(t.counterpartyId)) {
      throw ApiProblem.forbidden("A party token reaches only the trades of its own party.");
    }
  }
}
