package dev.nudge.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.ids.Ids;
import dev.nudge.common.time.QuietTime;
import dev.nudge.event.EventDraft;
import dev.nudge.event.EventOutbox;
import dev.nudge.event.RawJson;
import dev.nudge.party.Party;
import dev.nudge.reminder.Reminder;
import dev.nudge.reminder.ReminderRecords;
import dev.nudge.reminder.ReminderViews.ReminderView;
import dev.nudge.trade.Trade;
import dev.nudge.trade.TradeChanges;
import dev.nudge.trade.TradeChanges.Change;
import dev.nudge.trade.TradeChanges.Step;
import dev.nudge.trade.TradeCodec;
import dev.nudge.trade.TradeHistory;
import dev.nudge.trade.TradeRows;
import dev.nudge.trade.domain.Policy.SilenceRule;
import dev.nudge.trade.domain.Tone;
import dev.nudge.trade.domain.TradeFacts;
import dev.nudge.trade.domain.TradeState;
import dev.nudge.trade.domain.TradeTimers;
import dev.nudge.trade.domain.TradeTimers.Fired;
import dev.nudge.trade.domain.TradeTimers.Reminded;
import dev.nudge.trade.domain.TradeTimers.Silenced;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Fires the due timers of a batch of trades that the caller holds locked, in the caller's
 * transaction on {@code c}. What each timer does is decided by the pure {@code TradeTimers}; the
 * rows, history entries, reminder records and events of the whole batch are then written with one
 * set-based statement per table, so a batch costs a handful of round trips, not several per trade.
 *
 * <p>A trade whose firing fails (unreadable stored data, rows the database refuses) is left as it
 * was and reported in {@link Result#failed}; the others of its batch still fire. A refused batch
 * write is rolled back to a savepoint and retried in halves down to the trade at fault.
 */
@ApplicationScoped
public class TradeTimerFiring {

  private static final Logger LOG = Logger.getLogger(TradeTimerFiring.class);

  /** How many timers fired, and the ids of trades whose firing failed. */
  public record Result(int fired, List<String> failed) {}

  /** One trade's firing, computed in memory and not yet written. */
  private record Outcome(
      Trade trade,
      TradeHistory history,
      Reminder reminder,
      List<EventDraft> events,
      TradeState from,
      TradeState to,
      Duration lag) {}

  /** What a batch needs besides its rows, read once per batch. */
  private record Lookups(
      Map<String, Party> parties,
      Map<String, String> overrides,
      Map<String, Map<Instant, String>> deferred) {}

  private final TradeCodec codec;
  private final TradeChanges changes;
  private final TradeRows rows;
  private final ReminderRecords reminders;
  private final EventOutbox outbox;
  private final ObjectMapper json;
  private final MeterRegistry metrics;
  private final Timer lag;
  private final Counter failures;
  private final Map<String, Counter> transitions = new ConcurrentHashMap<>();

  public TradeTimerFiring(
      TradeCodec codec,
      TradeChanges changes,
      TradeRows rows,
      ReminderRecords reminders,
      EventOutbox outbox,
      ObjectMapper json,
      MeterRegistry metrics) {
    this.codec = codec;
    this.changes = changes;
    this.rows = rows;
    this.reminders = reminders;
    this.outbox = outbox;
    this.json = json;
    this.metrics = metrics;
    this.lag =
        Timer.builder("nudge.scheduler.claim.lag")
            .description("How late a timer fired after it fell due")
            .tag("machine", "trade")
            .register(metrics);
    this.failures =
        Counter.builder("nudge.scheduler.failures")
            .description("Timers that failed to fire and were put back for a later retry")
            .tag("machine", "trade")
            .register(metrics);
  }

  /**
   * Fires the timer each trade has due by {@code now}, at the instant it was due (not the time of
   * processing), so a late run ends in the same state as a punctual one. A trade with nothing due
   * only has its stored timer corrected. {@code live} says whether {@code now} is real time (the
   * claim-lag metric is only kept for real time).
   */
  public Result fire(Connection c, List<Trade> claimed, Instant now, boolean live)
      throws SQLException {
    if (claimed.isEmpty()) {
      return new Result(0, List.of());
    }
    Lookups lookups = lookups(c, claimed);
    List<Outcome> outcomes = new ArrayList<>(claimed.size());
    List<Trade> stale = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (Trade t : claimed) {
      try {
        Outcome o = compute(t, now, lookups);
        if (o == null) {
          stale.add(t);
        } else {
          outcomes.add(o);
        }
      } catch (RuntimeException e) {
        LOG.errorf(e, "timer of trade %s failed; it is retried later", t.id);
        failed.add(t.id);
      }
    }
    rows.setTimers(c, stale);
    outcomes = writeIsolatingFailures(c, outcomes, failed);
    for (Outcome o : outcomes) {
      if (live) {
        lag.record(o.lag());
      }
      transitions
          .computeIfAbsent(
              o.from().wire() + ">" + o.to().wire(),
              k ->
                  metrics.counter(
                      "nudge.transitions",
                      "machine",
                      "trade",
                      "from",
                      o.from().wire(),
                      "to",
                      o.to().wire()))
          .increment();
    }
    failures.increment(failed.size());
    return new Result(outcomes.size(), failed);
  }

  private Lookups lookups(Connection c, List<Trade> claimed) throws SQLException {
    Set<String> partyIds = new HashSet<>();
    Set<String> tenantIds = new HashSet<>();
    List<String> tradeIds = new ArrayList<>(claimed.size());
    for (Trade t : claimed) {
      partyIds.add(t.initiatorId);
      partyIds.add(t.counterpartyId);
      tenantIds.add(t.tenantId);
      tradeIds.add(t.id);
    }
    return new Lookups(
        reminders.parties(c, partyIds),
        reminders.overrides(c, tenantIds),
        reminders.deferred(c, tradeIds));
  }

  /** The firing of {@code t}'s due timer, or null if none is due (a stale stored timer). */
  private Outcome compute(Trade t, Instant now, Lookups lookups) {
    TradeFacts before = codec.facts(t);
    Instant due = TradeTimers.nextAt(before).orElse(null);
    Fired f = due == null || due.isAfter(now) ? null : TradeTimers.fire(before, due).orElse(null);
    if (f == null) {
      t.timerAt = due;
      return null;
    }
    Duration late = Duration.between(due, now);
    TradeState from = before.state();
    if (f instanceof Reminded r) {
      Party recipient = party(lookups, r.toPartyId());
      Instant quietEnd =
          QuietTime.endIfQuiet(due, recipient.timeZone, recipient.quietStart, recipient.quietEnd)
              .orElse(null);
      if (quietEnd != null) {
        // A reminder deferred once already (waiting for "due") keeps its record.
        Reminder rec =
            record(
                t.id,
                lookups.deferred().getOrDefault(t.id, Map.of()).containsKey(due) ? due : quietEnd,
                lookups);
        Instant deadline =
            r.number() >= before.reminders().max()
                ? quietEnd.plus(before.policy().finalGrace())
                : null;
        fillRecord(rec, t, before, r.number(), r.tone(), deadline, recipient, lookups);
        rec.status = Reminder.DEFERRED;
        rec.sentAt = null;
        rec.scheduledFor = quietEnd;
        Change change =
            new Change(
                "system",
                "reminder_deferred",
                from,
                "Reminder " + r.number() + " deferred to the end of the recipient's quiet hours",
                null,
                due);
        return outcome(t, TradeTimers.defer(before, quietEnd), change, rec, null, from, late);
      }
      Reminder rec = record(t.id, due, lookups);
      rec.scheduledFor = due;
      fillRecord(
          rec, t, r.after(), r.number(), r.tone(), r.after().silenceAt(), recipient, lookups);
      rec.status = Reminder.SENT;
      rec.sentAt = due;
      Change change = new Change("system", "reminder", from, "Reminder " + r.number(), null, due);
      return outcome(t, r.after(), change, rec, "trade.reminder_due", from, late);
    }
    Silenced s = (Silenced) f;
    Change change =
        new Change(
            "system",
            "silence",
            from,
            "No " + s.kind().wire().replace('_', ' ') + " after the agreed reminders",
            null,
            due);
    return outcome(
        t,
        s.after(),
        change,
        null,
        s.rule() == SilenceRule.NONE ? "trade.reply_overdue" : null,
        from,
        late);
  }

  /**
   * The record of the reminder pending at {@code pendingAt}: the deferred one waiting for that
   * instant if there is one (so one reminder never shows as two records), else a new one.
   */
  private static Reminder record(String tradeId, Instant pendingAt, Lookups lookups) {
    String existing =
        pendingAt == null
            ? null
            : lookups.deferred().getOrDefault(tradeId, Map.of()).get(pendingAt);
    Reminder rec = new Reminder();
    rec.id = existing != null ? existing : Ids.generate("rem");
    return rec;
  }

  private void fillRecord(
      Reminder rec,
      Trade t,
      TradeFacts facts,
      int number,
      Tone tone,
      Instant deadline,
      Party recipient,
      Lookups lookups) {
    Party sender = party(lookups, facts.otherParty(recipient.id));
    String override =
        lookups
            .overrides()
            .get(ReminderRecords.overrideKey(t.tenantId, recipient.locale, tone.wire()));
    reminders.fill(rec, t, facts, number, tone, deadline, recipient, sender, override);
  }

  private Outcome outcome(
      Trade t,
      TradeFacts after,
      Change change,
      Reminder rec,
      String extraType,
      TradeState from,
      Duration late) {
    Step step = changes.apply(t, after, change, extraType == null ? 0 : 1);
    t.version++;
    String view = codec.write(codec.view(t));
    Map<String, Object> extra =
        extraType == null
            ? Map.of()
            : Map.of(
                extraType,
                new RawJson(
                    rec == null
                        ? view
                        : "{\"trade\":"
                            + view
                            + ",\"reminder\":"
                            + write(ReminderView.of(rec))
                            + "}"));
    List<EventDraft> events = changes.events(t, step, change.at(), new RawJson(view), extra);
    return new Outcome(
        t,
        step.history(),
        rec,
        events,
        from,
        after.state(),
        late.isNegative() ? Duration.ZERO : late);
  }

  /**
   * Writes the outcomes under a savepoint. If the database refuses the data (a constraint, a bad
   * value, a trigger), the write is rolled back to the savepoint and each half is tried again, down
   * to the single trade at fault, which goes to {@code failed}; a poisoned trade among 500 costs
   * about 18 savepoints, not 500. Any other error (a lock timeout, a lost connection) is not the
   * data's fault and is thrown, so the whole batch is retried by the next poll. Returns what was
   * written.
   */
  private List<Outcome> writeIsolatingFailures(
      Connection c, List<Outcome> outcomes, List<String> failed) throws SQLException {
    if (outcomes.isEmpty()) {
      return outcomes;
    }
    savepoint(c);
    try {
      write(c, outcomes);
      release(c);
      return outcomes;
    } catch (SQLException | RuntimeException e) {
      if (e instanceof SQLException sql && !refusedData(sql)) {
        throw sql;
      }
      rollbackAndRelease(c);
      if (outcomes.size() == 1) {
        LOG.errorf(e, "timer of trade %s failed; it is retried later", outcomes.get(0).trade().id);
        failed.add(outcomes.get(0).trade().id);
        return List.of();
      }
      int half = outcomes.size() / 2;
      List<Outcome> written =
          new ArrayList<>(writeIsolatingFailures(c, outcomes.subList(0, half), failed));
      written.addAll(writeIsolatingFailures(c, outcomes.subList(half, outcomes.size()), failed));
      return written;
    }
  }

  /** Data exceptions (22), integrity violations (23), raised by PL/pgSQL (P0), or ours. */
  private static boolean refusedData(SQLException e) {
    String state = e.getSQLState();
    return e instanceof RowsNotWritten
        || state != null
            && (state.startsWith("22") || state.startsWith("23") || state.startsWith("P0"));
  }

  /** Fewer rows were updated than were locked and read: a bug, so nothing of it is written. */
  private static final class RowsNotWritten extends SQLException {
    RowsNotWritten(int expected, int updated) {
      super("expected to update " + expected + " trades, updated " + updated);
    }
  }

  private void write(Connection c, List<Outcome> outcomes) throws SQLException {
    if (outcomes.isEmpty()) {
      return;
    }
    List<Trade> trades = new ArrayList<>(outcomes.size());
    List<TradeHistory> history = new ArrayList<>(outcomes.size());
    List<Reminder> records = new ArrayList<>();
    List<EventDraft> events = new ArrayList<>(outcomes.size() * 2);
    for (Outcome o : outcomes) {
      trades.add(o.trade());
      history.add(o.history());
      if (o.reminder() != null) {
        records.add(o.reminder());
      }
      events.addAll(o.events());
    }
    int updated = rows.update(c, trades);
    if (updated != trades.size()) {
      // The rows are locked by this transaction, so this is a bug, not a race: write nothing.
      throw new RowsNotWritten(trades.size(), updated);
    }
    rows.insertHistory(c, history);
    reminders.write(c, records);
    outbox.appendAll(c, events);
  }

  private static Party party(Lookups lookups, String id) {
    Party p = lookups.parties().get(id);
    if (p == null) {
      throw new IllegalStateException("party " + id + " not found");
    }
    return p;
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void savepoint(Connection c) throws SQLException {
    execute(c, "savepoint timer_batch");
  }

  private static void release(Connection c) throws SQLException {
    execute(c, "release savepoint timer_batch");
  }

  /** Undoes the work since the savepoint and drops it, so savepoints never pile up. */
  private static void rollbackAndRelease(Connection c) throws SQLException {
    execute(c, "rollback to savepoint timer_batch");
    execute(c, "release savepoint timer_batch");
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
