package dev.nudge.trade;

import dev.nudge.common.json.JsonText;
import dev.nudge.trade.TradeViews.AwaitingView;
import dev.nudge.trade.TradeViews.CancellationView;
import dev.nudge.trade.TradeViews.TradeView;
import dev.nudge.trade.reminder.ReminderDue;
import dev.nudge.trade.reminder.ReminderViews.ReminderView;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The JSON of a trade snapshot and of {@code trade.reminder_due}'s data, written field by field:
 * exactly what the object mapper writes for {@link TradeView} and {@link ReminderDue} (the tests
 * compare the two), without its per-value serializer lookups and reflective accessors. Every change
 * of a trade writes one snapshot, and the scheduler writes thousands a second.
 */
final class TradeJson {

  private TradeJson() {}

  static String trade(TradeView t) {
    JsonText j = new JsonText(2048).startObject();
    j.name("id").string(t.id());
    j.name("state").string(t.state());
    j.name("version").number(t.version());
    j.name("title").string(t.title());
    j.name("initiatorId").string(t.initiatorId());
    j.name("counterpartyId").string(t.counterpartyId());
    j.name("items").raw(t.items());
    j.name("amount").raw(t.amount());
    j.name("source").raw(t.source());
    j.name("policy").raw(t.policy());
    AwaitingView a = t.awaiting();
    j.name("awaiting");
    if (a == null) {
      j.nil();
    } else {
      j.startObject();
      j.name("partyId").string(a.partyId());
      j.name("kind").string(a.kind());
      j.name("requestedBy").string(a.requestedBy());
      j.name("since").instant(a.since());
      j.name("dueAt").instant(a.dueAt());
      j.endObject();
    }
    j.name("reminders").startObject();
    j.name("sent").number(t.reminders().sent());
    j.name("max").number(t.reminders().max());
    j.name("lastAt").instant(t.reminders().lastAt());
    j.name("nextAt").instant(t.reminders().nextAt());
    j.endObject();
    j.name("milestones").startObject();
    j.name("paymentConfirmedAt").instant(t.milestones().paymentConfirmedAt());
    j.name("shipmentConfirmedAt").instant(t.milestones().shipmentConfirmedAt());
    j.name("receiptConfirmedAt").instant(t.milestones().receiptConfirmedAt());
    j.endObject();
    j.name("completions").startObject();
    j.name("initiator").instant(t.completions().initiator());
    j.name("counterparty").instant(t.completions().counterparty());
    j.endObject();
    CancellationView c = t.cancellation();
    j.name("cancellation");
    if (c == null) {
      j.nil();
    } else {
      j.startObject();
      j.name("reason").string(c.reason());
      j.name("byPartyId").string(c.byPartyId());
      j.name("automatic").bool(c.automatic());
      j.name("at").instant(c.at());
      j.name("note").string(c.note());
      j.endObject();
    }
    j.name("allowedActions").startObject();
    for (Map.Entry<String, List<String>> e : t.allowedActions().entrySet()) {
      j.name(e.getKey()).startArray();
      for (String action : e.getValue()) {
        j.element().string(action);
      }
      j.endArray();
    }
    j.endObject();
    j.name("completedAt").instant(t.completedAt());
    j.name("createdAt").instant(t.createdAt());
    j.name("updatedAt").instant(t.updatedAt());
    return j.endObject().toString();
  }

  /**
   * {@code {"trade": …, "reminder": …}}, the trade given as its snapshot's JSON: the plain form of
   * {@link #reminderDue(byte[], ReminderView)}, which the tests compare with the object mapper.
   */
  static String reminderDue(String trade, ReminderView r) {
    return "{\"trade\":" + trade + ",\"reminder\":" + reminder(r) + "}";
  }

  /**
   * {@link #reminderDue(String, ReminderView)} in UTF-8, the trade given as its snapshot's UTF-8
   * bytes: the snapshot is copied as it is, and only the reminder is encoded. (Assembled as one
   * string, a reminder text beyond Latin-1 would widen the whole document to two bytes a character
   * and make its encoding several times dearer.)
   */
  static byte[] reminderDue(byte[] trade, ReminderView r) {
    byte[] reminder = reminder(r).getBytes(StandardCharsets.UTF_8);
    byte[] out =
        new byte[DUE_TRADE.length + trade.length + DUE_REMINDER.length + reminder.length + 1];
    int at = 0;
    System.arraycopy(DUE_TRADE, 0, out, at, DUE_TRADE.length);
    at += DUE_TRADE.length;
    System.arraycopy(trade, 0, out, at, trade.length);
    at += trade.length;
    System.arraycopy(DUE_REMINDER, 0, out, at, DUE_REMINDER.length);
    at += DUE_REMINDER.length;
    System.arraycopy(reminder, 0, out, at, reminder.length);
    out[out.length - 1] = '}';
    return out;
  }

  private static final byte[] DUE_TRADE = "{\"trade\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DUE_REMINDER = ",\"reminder\":".getBytes(StandardCharsets.US_ASCII);

  private static String reminder(ReminderView r) {
    JsonText j = new JsonText(512);
    j.startObject();
    j.name("id").string(r.id());
    j.name("tradeId").string(r.tradeId());
    j.name("toPartyId").string(r.toPartyId());
    j.name("number").number(r.number());
    j.name("tone").string(r.tone());
    j.name("channel").string(r.channel());
    j.name("locale").string(r.locale());
    j.name("message").string(r.message());
    j.name("scheduledFor").instant(r.scheduledFor());
    j.name("sentAt").instant(r.sentAt());
    j.name("status").string(r.status());
    return j.endObject().toString();
  }
}
