package dev.nudge.reminder;

import dev.nudge.common.ids.Ids;
import dev.nudge.party.Party;
import dev.nudge.party.PartyService;
import dev.nudge.party.PartyViews.Channel;
import dev.nudge.reminder.ReminderTexts.Context;
import dev.nudge.trade.Trade;
import dev.nudge.trade.domain.Tone;
import dev.nudge.trade.domain.TradeFacts;
import dev.nudge.trade.domain.TradeTimers.Reminded;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;

/**
 * Writes reminder records in the caller's transaction: the sent reminder (automatic or manual), or
 * the deferred one while the recipient is in quiet hours. A deferred record becomes the sent one
 * when its timer fires, so a trade never shows two records for one reminder.
 */
@ApplicationScoped
public class ReminderRecords {

  private final EntityManager em;
  private final ReminderRepository reminders;
  private final ReminderTexts texts;
  private final PartyService parties;

  public ReminderRecords(
      EntityManager em, ReminderRepository reminders, ReminderTexts texts, PartyService parties) {
    this.em = em;
    this.reminders = reminders;
    this.texts = texts;
    this.parties = parties;
  }

  public Party party(String id) {
    return em.find(Party.class, id);
  }

  /** Records reminder {@code r} as sent at {@code r.at()}. */
  public Reminder sent(Trade t, TradeFacts before, Reminded r, boolean manual) {
    TradeFacts after = r.after();
    Reminder rec =
        before.reminders().nextAt() == null
            ? null
            : reminders.pending(t.id, before.reminders().nextAt()).orElse(null);
    if (rec == null) {
      rec = new Reminder();
      rec.id = Ids.generate("rem");
      rec.scheduledFor = r.at();
    }
    fill(rec, t, after, r.number(), r.tone(), r.toPartyId(), after.silenceAt());
    rec.sentAt = r.at();
    rec.status = Reminder.SENT;
    rec.manual = manual;
    if (!em.contains(rec)) {
      reminders.persist(rec);
    }
    return rec;
  }

  /** Records the pending reminder as deferred to {@code until} (the end of quiet hours). */
  public Reminder deferred(Trade t, TradeFacts before, Instant until) {
    int number = before.reminders().sent() + 1;
    int max = before.reminders().max();
    Reminder rec = reminders.pending(t.id, until).orElse(null);
    if (rec == null) {
      rec = new Reminder();
      rec.id = Ids.generate("rem");
    }
    Instant deadline = number >= max ? until.plus(before.policy().finalGrace()) : null;
    fill(rec, t, before, number, Tone.of(number, max), before.awaitedParty(), deadline);
    rec.scheduledFor = until;
    rec.sentAt = null;
    rec.status = Reminder.DEFERRED;
    if (!em.contains(rec)) {
      reminders.persist(rec);
    }
    return rec;
  }

  private void fill(
      Reminder rec, Trade t, TradeFacts f, int number, Tone tone, String to, Instant deadline) {
    Party recipient = party(to);
    Party sender = party(f.otherParty(to));
    rec.tradeId = t.id;
    rec.tenantId = t.tenantId;
    rec.toPartyId = to;
    rec.number = number;
    rec.tone = tone.wire();
    List<Channel> channels = parties.channels(recipient);
    rec.channel = channels.isEmpty() ? null : channels.get(0).type();
    rec.locale = recipient.locale;
    rec.message =
        texts.render(
            recipient.locale,
            tone,
            override(t.tenantId, recipient.locale, tone),
            new Context(
                recipient.displayName,
                sender.displayName,
                t.title,
                f.awaiting().kind(),
                f.awaiting().dueAt(),
                deadline,
                f.policy().onSilence().forKind(f.awaiting().kind()),
                recipient.timeZone,
                number,
                f.reminders().max()));
  }

  /** The tenant's own text for this locale and tone, or null. */
  public String override(String tenantId, String locale, Tone tone) {
    Object body =
        em.createNativeQuery(
                "select body from reminder_template where tenant_id = ?1 and locale = ?2 and tone = ?3",
                String.class)
            .setParameter(1, tenantId)
            .setParameter(2, locale)
            .setParameter(3, tone.wire())
            .getResultStream()
            .findFirst()
            .orElse(null);
    return (String) body;
  }
}
