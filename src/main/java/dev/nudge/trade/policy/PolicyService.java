package dev.nudge.trade.policy;

import dev.nudge.common.auth.Caller;
import dev.nudge.common.db.Jdbc;
import dev.nudge.common.ids.Ids;
import dev.nudge.common.paging.Page;
import dev.nudge.common.paging.PageRequest;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.Validator;
import dev.nudge.common.time.Durations;
import dev.nudge.common.time.TenantClock;
import dev.nudge.trade.domain.Policy;
import dev.nudge.trade.policy.PolicyViews.CreatePolicy;
import dev.nudge.trade.policy.PolicyViews.OnSilenceView;
import dev.nudge.trade.policy.PolicyViews.PolicySnapshot;
import dev.nudge.trade.policy.PolicyViews.PolicyView;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;

@ApplicationScoped
public class PolicyService {

  private static final Duration MIN = Duration.ofSeconds(1);

  private final Jdbc jdbc;
  private final PolicyRepository policies;
  private final Caller caller;
  private final TenantClock clock;

  public PolicyService(Jdbc jdbc, PolicyRepository policies, Caller caller, TenantClock clock) {
    this.jdbc = jdbc;
    this.policies = policies;
    this.caller = caller;
    this.clock = clock;
  }

  public PolicyView create(CreatePolicy r) {
    if (r == null) {
      throw ApiProblem.validation("body", "is required");
    }
    PolicySnapshot defaults = PolicySnapshot.of(Policy.defaults());
    Validator v = new Validator().required(r.name(), "name").maxLength(r.name(), 200, "name");
    Durations.parse(r.replyWindow(), "replyWindow", MIN, v);
    Durations.parse(r.reminderInterval(), "reminderInterval", MIN, v);
    Durations.parse(r.minReminderSpacing(), "minReminderSpacing", MIN, v);
    Durations.parse(r.finalGrace(), "finalGrace", MIN, v);
    v.check(
        r.maxReminders() == null || (r.maxReminders() >= 0 && r.maxReminders() <= Policy.HARD_CAP),
        "maxReminders",
        "must be from 0 to " + Policy.HARD_CAP);
    OnSilenceView silence = r.onSilence() == null ? defaults.onSilence() : r.onSilence();
    OnSilenceView d = defaults.onSilence();
    silence =
        new OnSilenceView(
            or(silence.reply(), d.reply()),
            or(silence.completionConfirmation(), d.completionConfirmation()),
            or(silence.cancellationConsent(), d.cancellationConsent()));
    v.check(
        Set.of("cancel", "none").contains(silence.reply()),
        "onSilence.reply",
        "must be 'cancel' or 'none'");
    v.check(
        Set.of("complete", "none").contains(silence.completionConfirmation()),
        "onSilence.completionConfirmation",
        "must be 'complete' or 'none'");
    v.check(
        Set.of("cancel", "none").contains(silence.cancellationConsent()),
        "onSilence.cancellationConsent",
        "must be 'cancel' or 'none'");
    v.check(
        r.freeCancellationUntil() == null
            || Set.of("payment", "shipment", "always", "never").contains(r.freeCancellationUntil()),
        "freeCancellationUntil",
        "must be one of payment, shipment, always, never");
    v.throwIfInvalid();

    CancellationPolicy p = new CancellationPolicy();
    p.id = Ids.generate("pol");
    p.tenantId = caller.tenantId();
    p.name = r.name().trim();
    p.replyWindow = canonical(r.replyWindow(), defaults.replyWindow());
    p.reminderInterval = canonical(r.reminderInterval(), defaults.reminderInterval());
    p.maxReminders = r.maxReminders() == null ? defaults.maxReminders() : r.maxReminders();
    p.minReminderSpacing = canonical(r.minReminderSpacing(), defaults.minReminderSpacing());
    p.finalGrace = canonical(r.finalGrace(), defaults.finalGrace());
    p.onSilenceReply = silence.reply();
    p.onSilenceCompletion = silence.completionConfirmation();
    p.onSilenceConsent = silence.cancellationConsent();
    p.freeCancellationUntil = or(r.freeCancellationUntil(), defaults.freeCancellationUntil());
    p.createdAt = clock.now(p.tenantId);
    jdbc.transaction(
        c -> {
          policies.insert(c, p);
          return null;
        });
    return view(p);
  }

  public PolicyView get(String id) {
    return view(require(id));
  }

  public Page<PolicyView> list(PageRequest page) {
    String tenantId = caller.tenantId();
    return Page.of(
        jdbc.call(c -> policies.page(c, tenantId, page.after(), page.limit())),
        page.limit(),
        PolicyService::view,
        p -> p.id);
  }

  /**
   * The policy a new trade runs by: the named one, read on the trade's connection {@code c}, or the
   * tenant default.
   */
  public Policy forTrade(Connection c, String policyId) throws SQLException {
    if (policyId == null) {
      return Policy.defaults();
    }
    CancellationPolicy p =
        policies
            .find(c, caller.tenantId(), policyId)
            .orElseThrow(() -> ApiProblem.validation("policyId", "is not a policy of this tenant"));
    return snapshot(p).toDomain();
  }

  private CancellationPolicy require(String id) {
    String tenantId = caller.tenantId();
    return jdbc.call(c -> policies.find(c, tenantId, id))
        .orElseThrow(() -> ApiProblem.notFound("Cancellation policy", id));
  }

  static PolicySnapshot snapshot(CancellationPolicy p) {
    return new PolicySnapshot(
        p.id,
        p.name,
        p.replyWindow,
        p.reminderInterval,
        p.maxReminders,
        p.minReminderSpacing,
        p.finalGrace,
        new OnSilenceView(p.onSilenceReply, p.onSilenceCompletion, p.onSilenceConsent),
        p.freeCancellationUntil);
  }

  static PolicyView view(CancellationPolicy p) {
    PolicySnapshot s = snapshot(p);
    return new PolicyView(
        s.id(),
        s.name(),
        s.replyWindow(),
        s.reminderInterval(),
        s.maxReminders(),
        s.minReminderSpacing(),
        s.finalGrace(),
        s.onSilence(),
        s.freeCancellationUntil(),
        p.createdAt,
        p.version);
  }

  private static String canonical(String value, String fallback) {
    return value == null ? fallback : Durations.format(Durations.of(value));
  }

  private static String or(String value, String fallback) {
    return value == null ? fallback : value;
  }
}
