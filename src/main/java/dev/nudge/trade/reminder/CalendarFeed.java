package dev.nudge.trade.reminder;

import dev.nudge.common.db.Jdbc;
import dev.nudge.common.time.TenantClock;
import dev.nudge.party.Languages;
import dev.nudge.party.Party;
import dev.nudge.party.PartyRepository;
import dev.nudge.party.PartyService;
import dev.nudge.trade.Trade;
import dev.nudge.trade.TradeCodec;
import dev.nudge.trade.TradeRepository;
import dev.nudge.trade.domain.AwaitKind;
import dev.nudge.trade.domain.Policy.SilenceRule;
import dev.nudge.trade.domain.TradeFacts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VAlarm;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.LastModified;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.Url;
import net.fortuna.ical4j.model.property.XProperty;
import net.fortuna.ical4j.model.property.immutable.ImmutableAction;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;

/**
 * A party's upcoming deadlines as iCalendar (RFC 5545), for a calendar app to subscribe to: for
 * every trade that waits on someone, when the answer is due, when the next reminder goes out, and
 * when the agreed policy will act. Each entry's UID is the trade's and the entry's kind, so a
 * calendar app moves the entry when the deadline moves ({@code SEQUENCE} is the trade's version)
 * and drops it when the trade ends and leaves the feed.
 */
@ApplicationScoped
public class CalendarFeed {

  private static final Duration LENGTH = Duration.ofMinutes(15);
  private static final Duration ALARM = Duration.ofHours(1);

  private final Jdbc jdbc;
  private final TradeRepository trades;
  private final TradeCodec codec;
  private final PartyService parties;
  private final PartyRepository partyRows;
  private final TenantClock clock;

  public CalendarFeed(
      Jdbc jdbc,
      TradeRepository trades,
      TradeCodec codec,
      PartyService parties,
      PartyRepository partyRows,
      TenantClock clock) {
    this.jdbc = jdbc;
    this.trades = trades;
    this.codec = codec;
    this.parties = parties;
    this.partyRows = partyRows;
    this.clock = clock;
  }

  @Transactional
  public String feed(String partyId) {
    Party party = parties.require(partyId);
    Instant now = clock.now(party.tenantId);
    List<Trade> waiting = jdbc.call(c -> trades.waitingWith(c, party.tenantId, party.id));
    Set<String> ids = new HashSet<>();
    waiting.forEach(t -> ids.add(t.awaitingPartyId));
    waiting.forEach(t -> ids.add(t.awaitingRequestedBy));
    Map<String, Party> names = jdbc.call(c -> partyRows.byIds(c, ids));
    Texts texts = Texts.of(Languages.of(party.locale));
    Calendar cal = new Calendar();
    cal.add(new ProdId("-//Nudge//Deadlines//" + texts.language().toUpperCase()));
    cal.add(ImmutableVersion.VERSION_2_0);
    cal.add(new XProperty("X-WR-CALNAME", texts.calendarName()));
    for (Trade t : waiting) {
      TradeFacts f = codec.facts(t);
      boolean mine = party.id.equals(f.awaitedParty());
      Party other = names.get(mine ? f.waitingParty() : f.awaitedParty());
      String who = other == null ? "" : other.displayName;
      Instant due = f.awaiting().dueAt();
      if (due.isAfter(now)) {
        cal.add(event(t, "due", due, texts.due(mine, f.awaiting().kind(), t.title, who), now));
      }
      Instant next = f.reminders().sent() < f.reminders().max() ? f.reminders().nextAt() : null;
      // The first reminder goes out when the answer is due: one entry says both.
      if (next != null && next.isAfter(now) && !next.equals(due)) {
        cal.add(event(t, "reminder", next, texts.reminder(mine, t.title, who), now));
      }
      Instant acts = whenPolicyActs(f);
      SilenceRule rule = f.policy().onSilence().forKind(f.awaiting().kind());
      if (acts != null && acts.isAfter(now) && rule != SilenceRule.NONE) {
        cal.add(event(t, "policy", acts, texts.policy(rule, t.title), now));
      }
    }
    return cal.toString();
  }

  /**
   * When the silence rule applies if nobody answers: known once the last reminder went out; before
   * that, at the earliest after the remaining reminders and the final grace.
   */
  static Instant whenPolicyActs(TradeFacts f) {
    if (f.silenceAt() != null) {
      return f.silenceAt();
    }
    var r = f.reminders();
    if (r.nextAt() == null) {
      return null;
    }
    int remaining = r.max() - r.sent();
    return r.nextAt()
        .plus(f.policy().reminderInterval().multipliedBy(Math.max(0, remaining - 1)))
        .plus(f.policy().finalGrace());
  }

  private static VEvent event(Trade t, String kind, Instant at, String summary, Instant now) {
    VEvent e = new VEvent(at, LENGTH, summary);
    e.replace(new DtStamp(now));
    e.add(new Uid(t.id + "-" + kind + "@nudge"));
    e.add(new Sequence(t.version));
    e.add(new LastModified(t.updatedAt));
    if (t.source != null) {
      String url = sourceUrl(t.source);
      if (url != null) {
        try {
          e.add(new Url(java.net.URI.create(url)));
        } catch (IllegalArgumentException ignored) {
          // A source URL that is not a URI is simply not linked.
        }
      }
    }
    VAlarm alarm = new VAlarm(ALARM.negated());
    alarm.add(ImmutableAction.DISPLAY);
    alarm.add(new Description(summary));
    e.add(alarm);
    return e;
  }

  private static String sourceUrl(String source) {
    int i = source.indexOf("\"url\"");
    if (i < 0) {
      return null;
    }
    int start = source.indexOf('"', source.indexOf(':', i) + 1);
    int end = source.indexOf('"', start + 1);
    return start < 0 || end < 0 ? null : source.substring(start + 1, end);
  }

  /** The entries' words, in the party's language. */
  record Texts(String language) {

    static Texts of(String language) {
      return new Texts("ja".equals(language) ? "ja" : "en");
    }

    boolean ja() {
      return language.equals("ja");
    }

    String calendarName() {
      return ja() ? "Nudge 取引の期限" : "Nudge trade deadlines";
    }

    String due(boolean mine, AwaitKind kind, String title, String other) {
      if (mine) {
        return ja()
            ? "「" + title + "」の" + jaKind(kind) + "期限"
            : enKind(kind) + " due: “" + title + "”";
      }
      return ja()
          ? other + "さんからの" + jaKind(kind) + "期限：「" + title + "」"
          : other + "'s " + enKind(kind).toLowerCase() + " due: “" + title + "”";
    }

    String reminder(boolean mine, String title, String other) {
      if (mine) {
        return ja() ? "「" + title + "」のリマインダー" : "Reminder: “" + title + "”";
      }
      return ja()
          ? other + "さんへのリマインダー：「" + title + "」"
          : "Reminder to " + other + ": “" + title + "”";
    }

    String policy(SilenceRule rule, String title) {
      boolean cancel = rule == SilenceRule.CANCEL;
      if (ja()) {
        return "「" + title + "」：取り決めにより自動で" + (cancel ? "キャンセル" : "完了") + "となります";
      }
      return "“" + title + "” will be " + (cancel ? "cancelled" : "completed") + " as agreed";
    }

    private static String jaKind(AwaitKind kind) {
      return switch (kind) {
        case REPLY -> "ご返信";
        case COMPLETION_CONFIRMATION -> "完了のご確認";
        case CANCELLATION_CONSENT -> "キャンセルへのご回答";
      };
    }

    private static String enKind(AwaitKind kind) {
      return switch (kind) {
        case REPLY -> "Reply";
        case COMPLETION_CONFIRMATION -> "Completion confirmation";
        case CANCELLATION_CONSENT -> "Answer on the cancellation";
      };
    }
  }
}
