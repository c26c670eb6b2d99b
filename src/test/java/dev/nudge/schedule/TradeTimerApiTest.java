package dev.nudge.schedule;

import static dev.nudge.support.Fixtures.act;
import static dev.nudge.support.Fixtures.advance;
import static dev.nudge.support.Fixtures.count;
import static dev.nudge.support.Fixtures.eventTypes;
import static dev.nudge.support.Fixtures.get;
import static dev.nudge.support.Fixtures.historyActions;
import static dev.nudge.support.Fixtures.now;
import static dev.nudge.support.Fixtures.party;
import static dev.nudge.support.Fixtures.policy;
import static dev.nudge.support.Fixtures.reminders;
import static dev.nudge.support.Fixtures.trade;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nudge.support.Api;
import dev.nudge.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every path of the trade timer table (SPEC §3), driven by the test clock over HTTP. */
@QuarkusTest
class TradeTimerApiTest {

  private String key;
  private String seller;
  private String buyer;

  @BeforeEach
  void tenantAndParties() {
    key = Api.newTenant("test");
    seller = party(key);
    buyer = party(key);
  }

  /** A trade awaiting the buyer's reply; returns its id. */
  private String awaitingReply(String policyId) {
    String id = trade(key, seller, buyer, policyId);
    act(key, id, "request_reply", seller);
    return id;
  }

  @Test
  void remindsAtDueThenAfterTheIntervalThenCancelsForSilence() {
    String id = awaitingReply(null);
    Instant due = Instant.parse(Fixtures.trade(key, id).getString("awaiting.dueAt"));
    assertThat(due).isEqualTo(now(key).plus(Duration.ofDays(3)));

    assertThat(advance(key, "PT71H59M59S")).isZero();
    assertThat(Fixtures.trade(key, id).getString("state")).isEqualTo("awaiting_reply");

    assertThat(advance(key, "PT1S")).isEqualTo(1);
    JsonPath t = Fixtures.trade(key, id);
    assertThat(t.getString("state")).isEqualTo("reminded");
    assertThat(t.getInt("reminders.sent")).isEqualTo(1);
    assertThat(Instant.parse(t.getString("reminders.lastAt"))).isEqualTo(due);
    List<Map<String, Object>> rs = reminders(key, id);
    assertThat(rs).hasSize(1);
    assertThat(rs.get(0))
        .containsEntry("number", 1)
        .containsEntry("tone", "gentle")
        .containsEntry("status", "sent")
        .containsEntry("toPartyId", buyer)
        .containsEntry("channel", "x_dm")
        .containsEntry("locale", "en")
        .containsEntry("sentAt", due.toString());
    assertThat((String) rs.get(0).get("message")).contains("Photo card exchange", "your reply");

    assertThat(advance(key, "P2D")).isEqualTo(1);
    rs = reminders(key, id);
    assertThat(rs).hasSize(2);
    assertThat(rs.get(1)).containsEntry("number", 2).containsEntry("tone", "final");
    assertThat((String) rs.get(1).get("message")).contains("cancelled automatically");
    assertThat(Fixtures.trade(key, id).getInt("reminders.sent")).isEqualTo(2);

    assertThat(advance(key, "PT23H")).isZero();
    assertThat(advance(key, "PT1H")).isEqualTo(1);
    t = Fixtures.trade(key, id);
    assertThat(t.getString("state")).isEqualTo("cancelled");
    assertThat(t.getString("cancellation.reason")).isEqualTo("no_reply");
    assertThat(t.getBoolean("cancellation.automatic")).isTrue();
    assertThat(t.getString("cancellation.at")).isEqualTo(due.plus(Duration.ofDays(3)).toString());

    assertThat(historyActions(key, id))
        .containsExactly("create", "request_reply", "reminder", "reminder", "silence");
    List<String> events = eventTypes(key, id);
    assertThat(count(events, "trade.reminder_due")).isEqualTo(2);
    assertThat(count(events, "trade.cancelled")).isEqualTo(1);
    assertThat(advance(key, "P30D")).isZero();
  }

  @Test
  void oneLargeAdvanceEndsInTheSameStateAsSmallOnes() {
    String id = awaitingReply(null);
    Instant due = Instant.parse(Fixtures.trade(key, id).getString("awaiting.dueAt"));
    assertThat(advance(key, "P30D")).isEqualTo(3);
    JsonPath t = Fixtures.trade(key, id);
    assertThat(t.getString("state")).isEqualTo("cancelled");
    assertThat(t.getString("cancellation.at")).isEqualTo(due.plus(Duration.ofDays(3)).toString());
    assertThat(reminders(key, id))
        .extracting(r -> r.get("sentAt"))
        .containsExactly(due.toString(), due.plus(Duration.ofDays(2)).toString());
  }

  @Test
  void silenceOnCompletionConfirmationCompletes() {
    String id = trade(key, seller, buyer, null);
    act(key, id, "confirm_completion", seller);
    assertThat(Fixtures.trade(key, id).getString("awaiting.kind"))
        .isEqualTo("completion_confirmation");
    advance(key, "P30D");
    JsonPath t = Fixtures.trade(key, id);
    assertThat(t.getString("state")).isEqualTo("completed");
    assertThat(t.getString("completedAt")).isNotNull();
    assertThat((String) reminders(key, id).get(0).get("message"))
        .contains("your confirmation that the trade is complete");
    assertThat(count(eventTypes(key, id), "trade.completed")).isEqualTo(1);
  }

  @Test
  void silenceOnCancellationConsentCancels() {
    String id = trade(key, seller, buyer, null);
    act(key, id, "confirm_payment", buyer);
    act(key, id, "request_cancellation", seller);
    assertThat(Fixtures.trade(key, id).getString("awaiting.kind"))
        .isEqualTo("cancellation_consent");
    advance(key, "P30D");
    JsonPath t = Fixtures.trade(key, id);
    assertThat(t.getString("state")).isEqualTo("cancelled");
    assertThat(t.getString("cancellation.reason")).isEqualTo("no_reply");
    assertThat(t.getBoolean("cancellation.automatic")).isTrue();
    List<Map<String, Object>> rs = reminders(key, id);
    assertThat(rs).hasSize(2).allMatch(r -> buyer.equals(r.get("toPartyId")));
    assertThat((String) rs.get(0).get("message")).contains("your consent to");
    assertThat(count(eventTypes(key, id), "trade.cancelled")).isEqualTo(1);
  }

  @Test
  void silenceRuleNoneWritesOneOverdueEvent() {
    String policy = policy(key, Map.of("onSilence", Map.of("reply", "none")));
    String id = awaitingReply(policy);
    assertThat(advance(key, "P10D")).isEqualTo(3);
    assertThat(advance(key, "P30D")).isZero();
    JsonPath t = Fixtures.trade(key, id);
    assertThat(t.getString("state")).isEqualTo("reminded");
    List<String> events = eventTypes(key, id);
    assertThat(count(events, "trade.reply_overdue")).isEqualTo(1);
    assertThat(count(events, "trade.cancelled")).isZero();
    assertThat(count(historyActions(key, id), "silence")).isEqualTo(1);
  }

  @Test
  void withoutRemindersTheSilenceRuleAppliesAtDuePlusGrace() {
    String policy = policy(key, Map.of("maxReminders", 0, "finalGrace", "PT6H"));
    String id = awaitingReply(policy);
    assertThat(advance(key, "P3D")).isZero();
    assertThat(Fixtures.trade(key, id).getString("state")).isEqualTo("awaiting_reply");
    assertThat(advance(key, "PT6H")).isEqualTo(1);
    assertThat(Fixtures.trade(key, id).getString("state")).isEqualTo("cancelled");
    assertThat(reminders(key, id)).isEmpty();
  }

  @Test
  void extendingTheDeadlinePushesTheReminder() {
    String id = awaitingReply(null);
    act(key, id, Map.of("type", "extend_deadline", "partyId", seller, "extendBy", "P1D"));
    assertThat(advance(key, "P3D")).isZero();
    assertThat(Fixtures.trade(key, id).getString("state")).isEqualTo("awaiting_reply");
    assertThat(advance(key, "P1D")).isEqualTo(1);
    assertThat(Fixtures.trade(key, id).getString("state")).isEqualTo("reminded");
  }

  @Test
  void aReplyBetweenRemindersStopsThem() {
    String id = awaitingReply(null);
    assertThat(advance(key, "P3D")).isEqualTo(1);
    act(key, id, "reply", buyer);
    assertThat(advance(key, "P30D")).isZero();
    JsonPath t = Fixtures.trade(key, id);
    assertThat(t.getString("state")).isEqualTo("agreed");
    assertThat(reminders(key, id)).hasSize(1);
  }

  @Test
  void theCapOfThreeRemindersIsKept() {
    String policy = policy(key, Map.of("maxReminders", 3, "reminderInterval", "P1D"));
    String id = awaitingReply(policy);
    advance(key, "P30D");
    assertThat(reminders(key, id))
        .extracting(r -> r.get("tone"))
        .containsExactly("gentle", "firm", "final");
    assertThat(Fixtures.trade(key, id).getString("state")).isEqualTo("cancelled");
  }

  @Test
  void remindersInTheRecipientsQuietHoursWaitUntilMorning() {
    String tokyo = party(key, "ja", "Asia/Tokyo", "22:00", "08:00");
    String id = trade(key, seller, tokyo, null);
    // Start the wait at 23:00 in Tokyo (14:00 UTC), so the reply falls due at night there.
    Instant now = now(key);
    ZonedDateTime target = now.atZone(ZoneOffset.UTC).with(LocalTime.of(14, 0));
    if (Duration.between(now, target.toInstant()).getSeconds() < 1) {
      target = target.plusDays(1);
    }
    advance(key, Duration.between(now, target.toInstant()).toString());
    act(key, id, "request_reply", seller);
    Instant due = target.toInstant().plus(Duration.ofDays(3));
    Instant morning = due.plus(Duration.ofHours(9));

    assertThat(advance(key, "P3D")).isEqualTo(1);
    JsonPath t = Fixtures.trade(key, id);
    assertThat(t.getString("state")).isEqualTo("awaiting_reply");
    assertThat(t.getString("reminders.nextAt")).isEqualTo(morning.toString());
    List<Map<String, Object>> deferred =
        get(key, "/v1/parties/" + tokyo + "/reminders?status=deferred").getList("data");
    assertThat(deferred).hasSize(1);
    assertThat(deferred.get(0))
        .containsEntry("status", "deferred")
        .containsEntry("scheduledFor", morning.toString())
        .containsEntry("sentAt", null);
    assertThat(count(eventTypes(key, id), "trade.reminder_due")).isZero();

    assertThat(advance(key, "PT8H59M")).isZero();
    assertThat(advance(key, "PT1M")).isEqualTo(1);
    List<Map<String, Object>> rs = reminders(key, id);
    assertThat(rs).hasSize(1);
    assertThat(rs.get(0))
        .containsEntry("id", deferred.get(0).get("id"))
        .containsEntry("status", "sent")
        .containsEntry("sentAt", morning.toString())
        .containsEntry("locale", "ja");
    assertThat((String) rs.get(0).get("message")).contains("Photo card exchange", "ご返信", "いたします");
    assertThat(get(key, "/v1/parties/" + tokyo + "/reminders?status=deferred").getList("data"))
        .isEmpty();
    assertThat(historyActions(key, id)).contains("reminder_deferred", "reminder");
    assertThat(count(eventTypes(key, id), "trade.reminder_due")).isEqualTo(1);
  }

  @Test
  void reminderDueEventsCarryTheTradeAndTheReminder() {
    String id = awaitingReply(null);
    advance(key, "P3D");
    List<Map<String, Object>> events =
        get(key, "/v1/events?types=trade.reminder_due&limit=200").getList("data");
    @SuppressWarnings("unchecked")
    Map<String, Object> data =
        events.stream()
            .filter(e -> id.equals(((Map<String, Object>) e.get("subject")).get("id")))
            .map(e -> (Map<String, Object>) e.get("data"))
            .findFirst()
            .orElseThrow();
    @SuppressWarnings("unchecked")
    Map<String, Object> trade = (Map<String, Object>) data.get("trade");
    @SuppressWarnings("unchecked")
    Map<String, Object> reminder = (Map<String, Object>) data.get("reminder");
    assertThat(trade).containsEntry("id", id).containsEntry("state", "reminded");
    assertThat(reminder)
        .containsEntry("number", 1)
        .containsEntry("tone", "gentle")
        .containsEntry("channel", "x_dm");
    assertThat((String) reminder.get("message")).isNotBlank();
  }
}
