package dev.nudge.trade;

import dev.nudge.common.db.Jdbc;
import dev.nudge.common.problem.Validator;
import dev.nudge.common.time.TenantClock;
import dev.nudge.party.Party;
import dev.nudge.party.PartyService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * How a party answers when a trade waits on it (SPEC §2), from the trades' history by SQL window
 * functions: every stretch of history entries that await the party is one wait; it ends with the
 * party's own action (answered, before or after a reminder), the policy's silence rule (expired),
 * or something else (the other side withdrew: not counted either way).
 *
 * <p>{@code score} = round(100 × (answered before a reminder + ½ × answered after one) / (waits
 * that ended answered or expired)); null while no wait has ended.
 */
@ApplicationScoped
public class Responsiveness {

  static final Duration DEFAULT_WINDOW = Duration.ofDays(90);

  public record View(
      String partyId,
      Instant from,
      Instant to,
      long awaited,
      long answeredBeforeReminder,
      long answeredAfterReminder,
      long expired,
      Double medianReplySeconds,
      Integer score) {}

  private static final String SQL =
      """
      with h as (
        select trade_id, id, at, actor, action, awaited_party_id, reminders_sent,
               lag(awaited_party_id) over w as prev_awaited,
               lag(reminders_sent) over w as prev_sent
        from trade_history
        where trade_id in (select trade_id from trade_party where party_id = ?)
        window w as (partition by trade_id order by id)),
      marked as (
        select *,
          awaited_party_id = ? and prev_awaited is distinct from ? as starts,
          prev_awaited = ? and (awaited_party_id is distinct from ?
            or actor = 'system' and action = 'silence') as ends
        from h),
      numbered as (
        select *, sum(case when starts then 1 else 0 end)
                    over (partition by trade_id order by id) as wait_no
        from marked),
      waits as (
        select s.trade_id, s.wait_no, s.at as started
        from numbered s where s.starts and s.at >= ? and s.at < ?),
      outcomes as (
        select w.started, e.at as ended_at,
          case when e.actor = 'system' and e.action = 'silence' then 'expired'
               when e.actor = ? and coalesce(e.prev_sent, 0) = 0 then 'before'
               when e.actor = ? then 'after' end as outcome
        from waits w
        left join lateral (
          select n.at, n.actor, n.action, n.prev_sent from numbered n
          where n.trade_id = w.trade_id and n.wait_no = w.wait_no and n.ends
          order by n.id limit 1) e on true)
      select count(*),
        count(*) filter (where outcome = 'before'),
        count(*) filter (where outcome = 'after'),
        count(*) filter (where outcome = 'expired'),
        percentile_cont(0.5) within group (order by extract(epoch from ended_at - started))
          filter (where outcome in ('before', 'after'))
      from outcomes
      """;

  private final Jdbc jdbc;
  private final PartyService parties;
  private final TenantClock clock;

  public Responsiveness(Jdbc jdbc, PartyService parties, TenantClock clock) {
    this.jdbc = jdbc;
    this.parties = parties;
    this.clock = clock;
  }

  @Transactional
  public View of(String partyId, String fromParam, String toParam) {
    Party p = parties.require(partyId);
    Validator v = new Validator();
    Instant to = time(toParam, "to", v);
    Instant from = time(fromParam, "from", v);
    v.throwIfInvalid();
    Instant end = to != null ? to : clock.now(p.tenantId);
    Instant start = from != null ? from : end.minus(DEFAULT_WINDOW);
    v.check(start.isBefore(end), "from", "must be before to");
    v.throwIfInvalid();
    // A given `to` is exclusive; the default one is now, and a wait that began now counts.
    Instant until = to != null ? to : end.plusNanos(1_000);
    return jdbc.call(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(SQL)) {
            int i = 1;
            ps.setString(i++, p.id);
            ps.setString(i++, p.id);
            ps.setString(i++, p.id);
            ps.setString(i++, p.id);
            ps.setString(i++, p.id);
            ps.setObject(i++, start.atOffset(ZoneOffset.UTC));
            ps.setObject(i++, until.atOffset(ZoneOffset.UTC));
            ps.setString(i++, p.id);
            ps.setString(i, p.id);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              long before = rs.getLong(2);
              long after = rs.getLong(3);
              long expired = rs.getLong(4);
              double median = rs.getDouble(5);
              Double medianSeconds = rs.wasNull() ? null : Math.round(median * 1000) / 1000.0;
              long ended = before + after + expired;
              Integer score =
                  ended == 0 ? null : (int) Math.round(100.0 * (before + 0.5 * after) / ended);
              return new View(
                  p.id, start, end, rs.getLong(1), before, after, expired, medianSeconds, score);
            }
          }
        });
  }

  private static Instant time(String value, String field, Validator v) {
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      v.add(field, "must be an RFC 3339 time such as 2026-09-01T00:00:00Z");
      return null;
    }
  }
}
