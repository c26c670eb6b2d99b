package dev.nudge.reminder;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.db.JsonRows;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
  private final ObjectMapper json;

  public ReminderRecords(
      EntityManager em,
      ReminderRepository reminders,
      ReminderTexts texts,
      PartyService parties,
      ObjectMapper json) {
    this.em = em;
    this.json = json;
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
    fill(
        rec,
        t,
        f,
        number,
        tone,
        deadline,
        recipient,
        party(f.otherParty(to)),
        override(t.tenantId, recipient.locale, tone));
  }

  /**
   * Fills a record of reminder {@code number} to {@code recipient}, rendering its message from
   * {@code override} (the tenant's text, or null for the shipped one).
   */
  public void fill(
      Reminder rec,
      Trade t,
      TradeFacts f,
      int number,
      Tone tone,
      Instant deadline,
      Party recipient,
      Party sender,
      String override) {
    rec.tradeId = t.id;
    rec.tenantId = t.tenantId;
    rec.toPartyId = recipient.id;
    rec.number = number;
    rec.tone = tone.wire();
    List<Channel> channels = parties.channels(recipient);
    rec.channel = channels.isEmpty() ? null : channels.get(0).type();
    rec.locale = recipient.locale;
    rec.message =
        texts.render(
            recipient.locale,
            tone,
            override,
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

  // --- set-based reads and writes for the scheduler's batches ------------------------------

  /** The parties with these ids, by id (only the columns reminders need). */
  public Map<String, Party> parties(Connection c, Collection<String> ids) throws SQLException {
    Map<String, Party> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select id, tenant_id, display_name, locale, time_zone, quiet_start, quiet_end,"
                + " channels from party where id = any(?)")) {
      ps.setArray(1, c.createArrayOf("text", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Party p = new Party();
          p.id = rs.getString(1);
          p.tenantId = rs.getString(2);
          p.displayName = rs.getString(3);
          p.locale = rs.getString(4);
          p.timeZone = rs.getString(5);
          p.quietStart = rs.getString(6);
          p.quietEnd = rs.getString(7);
          p.channels = rs.getString(8);
          out.put(p.id, p);
        }
      }
    }
    return out;
  }

  /** The tenants' own texts, by {@link #overrideKey}. */
  public Map<String, String> overrides(Connection c, Collection<String> tenantIds)
      throws SQLException {
    Map<String, String> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select tenant_id, locale, tone, body from reminder_template where tenant_id = any(?)")) {
      ps.setArray(1, c.createArrayOf("text", tenantIds.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(overrideKey(rs.getString(1), rs.getString(2), rs.getString(3)), rs.getString(4));
        }
      }
    }
    return out;
  }

  public static String overrideKey(String tenantId, String locale, String tone) {
    return tenantId + "/" + locale + "/" + tone;
  }

  /** The deferred records of these trades: trade id → (scheduled-for instant → record id). */
  public Map<String, Map<Instant, String>> deferred(Connection c, Collection<String> tradeIds)
      throws SQLException {
    Map<String, Map<Instant, String>> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select trade_id, scheduled_for, id from reminder"
                + " where trade_id = any(?) and status = 'deferred'")) {
      ps.setArray(1, c.createArrayOf("text", tradeIds.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
              .put(rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3));
        }
      }
    }
    return out;
  }

  /** Inserts the records, or rewrites those that exist (a deferred one becoming sent). */
  public void write(Connection c, List<Reminder> records) throws SQLException {
    if (records.isEmpty()) {
      return;
    }
    JsonRows rows = new JsonRows(json, records.size());
    for (Reminder r : records) {
      rows.row()
          .put("id", r.id)
          .put("trade_id", r.tradeId)
          .put("tenant_id", r.tenantId)
          .put("to_party_id", r.toPartyId)
          .put("number", r.number)
          .put("tone", r.tone)
          .put("channel", r.channel)
          .put("locale", r.locale)
          .put("message", r.message)
          .put("scheduled_for", r.scheduledFor)
          .put("sent_at", r.sentAt)
          .put("status", r.status)
          .put("manual", r.manual);
    }
    try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
      ps.setString(1, rows.json());
      ps.executeUpdate();
    }
  }

  private static final String UPSERT =
      "insert into reminder (id, trade_id, tenant_id, to_party_id, number, tone, channel, locale,"
          + " message, scheduled_for, sent_at, status, manual)"
          + " select id, trade_id, tenant_id, to_party_id, number, tone, channel, locale, message,"
          + " scheduled_for, sent_at, status, manual from json_to_recordset(?::json) as x(id text,"
          + " trade_id text, tenant_id text, to_party_id text, number int, tone text,"
          + " channel text, locale text, message text, scheduled_for timestamptz,"
          + " sent_at timestamptz, status text, manual boolean)"
          + " on conflict (id) do update set number = excluded.number, tone = excluded.tone,"
          + " channel = excluded.channel, locale = excluded.locale, message = excluded.message,"
          + " scheduled_for = excluded.scheduled_for, sent_at = excluded.sent_at,"
          + " status = excluded.status";

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
