package dev.nudge.trade.reminder;

import dev.nudge.common.ids.Ids;
import dev.nudge.common.time.QuietHours;
import dev.nudge.party.Languages;
import dev.nudge.party.Party;
import dev.nudge.party.PartyRepository;
import dev.nudge.party.PartyService;
import dev.nudge.party.PartyViews.Channel;
import dev.nudge.trade.Trade;
import dev.nudge.trade.TradeChanges.Change;
import dev.nudge.trade.domain.Reminding;
import dev.nudge.trade.domain.Reminding.Hold;
import dev.nudge.trade.domain.Reminding.Plan;
import dev.nudge.trade.domain.Reminding.Send;
import dev.nudge.trade.domain.TradeFacts;
import dev.nudge.trade.reminder.ReminderTexts.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Produces reminders, for the scheduler and for manual nudges alike: the pure {@link Reminding}
 * decides (send or hold for quiet hours, number, tone, deadline); this renders the message in the
 * recipient's language, reuses the record of a held reminder, and says what history records.
 */
@ApplicationScoped
public class ReminderPipeline {

  /** What a batch of trades' reminders need, read once per batch. */
  public record Lookups(
      Map<String, Party> parties,
      Map<String, String> channels,
      Map<String, String> languages,
      Map<String, String> overrides,
      Map<String, Map<Instant, String>> held) {

    /** The record id of the trade's reminder held until {@code at}, or null. */
    String heldAt(String tradeId, Instant at) {
      return at == null ? null : held.getOrDefault(tradeId, Map.of()).get(at);
    }

    Party party(String id) {
      Party p = parties.get(id);
      if (p == null) {
        throw new IllegalStateException("party " + id + " not found");
      }
      return p;
    }
  }

  /**
   * A reminder produced: the trade after it, the history entry, the record to write, and whether it
   * was sent (so {@code trade.reminder_due} goes out) rather than held.
   */
  public record Step(TradeFacts after, Change change, Reminder record, boolean sent) {}

  private final ReminderRepository reminders;
  private final PartyRepository parties;
  private final PartyService partyService;
  private final ReminderTexts texts;

  public ReminderPipeline(
      ReminderRepository reminders,
      PartyRepository parties,
      PartyService partyService,
      ReminderTexts texts) {
    this.reminders = reminders;
    this.parties = parties;
    this.partyService = partyService;
    this.texts = texts;
  }

  public Lookups lookups(Connection c, Collection<Trade> trades) throws SQLException {
    Set<String> partyIds = new HashSet<>();
    Set<String> tenantIds = new HashSet<>();
    Set<String> tradeIds = new HashSet<>();
    for (Trade t : trades) {
      partyIds.add(t.initiatorId);
      partyIds.add(t.counterpartyId);
      tenantIds.add(t.tenantId);
      tradeIds.add(t.id);
    }
    Map<String, Party> byId = parties.byIds(c, partyIds);
    // A reminder goes out on the recipient's first channel, in the recipient's language; both
    // are worked out once per party, not per trade.
    Map<String, String> channels = new HashMap<>();
    Map<String, String> languages = new HashMap<>();
    for (Party p : byId.values()) {
      List<Channel> list = partyService.channels(p);
      channels.put(p.id, list.isEmpty() ? null : list.get(0).type());
      languages.put(p.id, Languages.of(p.locale));
    }
    return new Lookups(
        byId, channels, languages, reminders.overrides(c, tenantIds), reminders.held(c, tradeIds));
  }

  /** The quiet hours of the party a trade waits on. */
  public QuietHours quietHours(Lookups l, String partyId) {
    Party p = l.party(partyId);
    return new QuietHours(p.timeZone, p.quietStart, p.quietEnd);
  }

  /**
   * The reminder of {@code t} falling due (or asked for) at {@code at}, by {@code actor} ("system"
   * or the nudging party).
   */
  public Step remind(
      Trade t, TradeFacts before, Instant at, String actor, boolean manual, Lookups l) {
    String to = before.awaitedParty();
    Plan plan = Reminding.plan(before, at, quietHours(l, to));
    // One reminder, one record: the record of this reminder held earlier is reused.
    String id = l.heldAt(t.id, before.reminders().nextAt());
    if (id == null && plan instanceof Hold h) {
      id = l.heldAt(t.id, h.until());
    }
    Reminder rec = new Reminder();
    rec.id = id != null ? id : Ids.generate("rem");
    rec.stored = id != null;
    rec.manual = manual;
    fill(rec, t, plan, l.party(to), l.party(before.otherParty(to)), l);
    if (plan instanceof Send s) {
      rec.scheduledFor = at;
      rec.sentAt = at;
      rec.status = Reminder.SENT;
      return new Step(
          s.after(),
          new Change(actor, "reminder", before.state(), "Reminder " + s.number(), null, at),
          rec,
          true);
    }
    Hold h = (Hold) plan;
    rec.scheduledFor = h.until();
    rec.status = Reminder.DEFERRED;
    return new Step(
        h.after(),
        new Change(
            actor,
            "reminder_deferred",
            before.state(),
            "Reminder " + h.number() + " deferred to the end of the recipient's quiet hours",
            null,
            at),
        rec,
        false);
  }

  public void write(Connection c, List<Reminder> records) throws SQLException {
    reminders.write(c, records);
  }

  private void fill(Reminder rec, Trade t, Plan plan, Party recipient, Party sender, Lookups l) {
    TradeFacts f = plan.after();
    rec.tradeId = t.id;
    rec.tenantId = t.tenantId;
    rec.toPartyId = recipient.id;
    rec.number = plan.number();
    rec.tone = plan.tone().wire();
    rec.channel = l.channels().get(recipient.id);
    String language = l.languages().get(recipient.id);
    rec.locale = language;
    String override =
        l.overrides().get(ReminderRepository.overrideKey(t.tenantId, language, plan.tone().wire()));
    rec.message =
        texts.render(
            language,
            plan.tone(),
            override,
            new Context(
                recipient.displayName,
                sender.displayName,
                t.title,
                f.awaiting().kind(),
                f.awaiting().dueAt(),
                plan.deadline(),
                f.policy().onSilence().forKind(f.awaiting().kind()),
                recipient.timeZone,
                plan.number(),
                f.reminders().max()));
  }
}
