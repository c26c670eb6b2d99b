package dev.nudge.complaint;

import static dev.nudge.support.Api.as;
import static dev.nudge.support.Api.newTenant;
import static dev.nudge.support.Fixtures.aComplaint;
import static dev.nudge.support.Fixtures.actOnComplaint;
import static dev.nudge.support.Fixtures.advance;
import static dev.nudge.support.Fixtures.customerWrites;
import static dev.nudge.support.Fixtures.respond;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nudge.support.Fixtures;
import dev.nudge.trade.TradeFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SLA clocks of SPEC §3 on the test clock: warning, breach and escalation, each once. */
@QuarkusTest
class ComplaintSlaApiTest {

  @Test
  void anUnansweredCaseWarnsAtTheTargetThenBreachesAndEscalatesAtTheDeadlineOnce() {
    String key = newTenant("test");
    Instant opened = Fixtures.now(key);
    String id = aComplaint(key).open();

    assertThat(advance(key, "PT59M")).isZero();
    assertThat(advance(key, "PT1M")).isEqualTo(1);
    assertThat(complaint(key, id).getBoolean("sla.warned")).isTrue();
    assertThat(advance(key, "PT23H")).isEqualTo(1);
    JsonPath c = complaint(key, id);
    assertThat(c.getBoolean("sla.breached")).isTrue();
    assertThat(c.getInt("escalationLevel")).isEqualTo(1);
    assertThat(advance(key, "P10D")).as("each once").isZero();

    List<Map<String, Object>> events = Fixtures.events(key, id);
    assertThat(events)
        .extracting(e -> e.get("type"))
        .containsExactly(
            "complaint.opened",
            "complaint.sla_warning",
            "complaint.sla_breached",
            "complaint.escalated");
    assertThat(events.subList(1, 4))
        .extracting(e -> (Object) ((Map<?, ?>) e.get("data")).get("metric"))
        .containsOnly("first_response");
    assertThat(events.get(1).get("createdAt"))
        .isEqualTo(opened.plus(Duration.ofHours(1)).toString());
    assertThat(
            as(key)
                .get("/v1/complaints/" + id + "/history")
                .then()
                .extract()
                .jsonPath()
                .getList("data.actor", String.class))
        .containsExactly("@mina_fan", "system", "system");
  }

  @Test
  void aCaseAnsweredInTimeFiresNothing() {
    String key = newTenant("test");
    String id = aComplaint(key).severity("critical").open();
    advance(key, "PT10M");
    respond(key, id, "ありがとうございます。確認いたします。");
    assertThat(advance(key, "P30D")).isZero();
    assertThat(complaint(key, id).getBoolean("sla.warned")).isFalse();
  }

  @Test
  void theCustomersReplyToOurReplyStartsTheNextReplyClockUntilWeAnswerAgain() {
    String key = newTenant("test");
    String id = aComplaint(key).open();
    respond(key, id, "Thank you, we are checking with the courier.");
    advance(key, "PT2H");
    JsonPath written = customerWrites(key, id, "Still nothing?");
    Instant since = Fixtures.now(key);
    assertThat(Instant.parse(written.getString("complaint.sla.nextReplyTargetAt")))
        .isEqualTo(since.plus(Duration.ofHours(1)));
    assertThat(Instant.parse(written.getString("complaint.sla.nextReplyDueAt")))
        .isEqualTo(since.plus(Duration.ofHours(24)));

    assertThat(advance(key, "PT1H")).isEqualTo(1); // the next-reply warning
    assertThat(advance(key, "PT23H")).isEqualTo(1); // its breach and escalation
    List<Map<String, Object>> sla =
        Fixtures.events(key, id).stream()
            .filter(e -> ((String) e.get("type")).startsWith("complaint.sla"))
            .toList();
    assertThat(sla)
        .extracting(e -> (Object) ((Map<?, ?>) e.get("data")).get("metric"))
        .containsExactly("next_reply", "next_reply");
    assertThat(complaint(key, id).getInt("escalationLevel")).isEqualTo(1);

    JsonPath answered = respond(key, id, "We found it: it ships today.");
    assertThat(answered.getString("complaint.sla.nextReplyDueAt")).isNull();
    assertThat(advance(key, "P5D")).isZero();
    assertThat(
            Fixtures.events(key, id).stream()
                .map(e -> (String) e.get("type"))
                .filter(t -> t.equals("complaint.customer_replied"))
                .count())
        .isEqualTo(1);
  }

  @Test
  void pausingStopsTheClocksAndResumingShiftsThemByExactlyThePausedTime() {
    String key = newTenant("test");
    Instant opened = Fixtures.now(key);
    String id = aComplaint(key).open();
    advance(key, "PT10M");
    JsonPath paused =
        actOnComplaint(key, id, Map.of("type", "pause_sla", "reason", "Waiting for the courier"));
    assertThat(paused.getString("sla.pausedSince")).isNotNull();
    assertThat(advance(key, "P3D")).as("nothing fires while paused").isZero();
    JsonPath resumed = actOnComplaint(key, id, Map.of("type", "resume_sla"));
    assertThat(Instant.parse(resumed.getString("sla.firstResponseTargetAt")))
        .isEqualTo(opened.plus(Duration.ofHours(1)).plus(Duration.ofDays(3)));
    assertThat(Instant.parse(resumed.getString("sla.firstResponseDueAt")))
        .isEqualTo(opened.plus(Duration.ofHours(24)).plus(Duration.ofDays(3)));
    assertThat(advance(key, "PT49M")).isZero();
    assertThat(advance(key, "PT1M")).isEqualTo(1);
    assertThat(
            as(key)
                .get("/v1/complaints/" + id + "/history")
                .then()
                .extract()
                .jsonPath()
                .getList("data.note", String.class))
        .contains("Waiting for the courier");
  }

  @Test
  void resumingShiftsTheNextReplyClockAndTheFollowUpByThePausedTimeToo() {
    String key = newTenant("test");
    String id = aComplaint(key).open();
    respond(key, id, "Thank you, we are checking with the courier.");
    JsonPath written = customerWrites(key, id, "Any news?");
    Instant target = Instant.parse(written.getString("complaint.sla.nextReplyTargetAt"));
    Instant deadline = Instant.parse(written.getString("complaint.sla.nextReplyDueAt"));
    Instant followUp =
        Instant.parse(
            actOnComplaint(key, id, Map.of("type", "resolve")).getString("sla.followUpDueAt"));
    actOnComplaint(key, id, Map.of("type", "pause_sla", "reason", "The customer is travelling"));
    assertThat(advance(key, "P5D")).as("nothing fires while paused").isZero();

    JsonPath resumed = actOnComplaint(key, id, Map.of("type", "resume_sla"));
    Duration paused = Duration.ofDays(5);
    assertThat(Instant.parse(resumed.getString("sla.nextReplyTargetAt")))
        .isEqualTo(target.plus(paused));
    assertThat(Instant.parse(resumed.getString("sla.nextReplyDueAt")))
        .isEqualTo(deadline.plus(paused));
    assertThat(Instant.parse(resumed.getString("sla.followUpDueAt")))
        .isEqualTo(followUp.plus(paused));
    assertThat(advance(key, "P3D")).isEqualTo(3); // next-reply warning and breach, follow-up
    assertThat(
            Fixtures.events(key, id).stream()
                .filter(e -> ((String) e.get("type")).matches("complaint\\.(sla_.*|follow_up_due)"))
                .map(e -> e.get("type") + "@" + e.get("createdAt"))
                .toList())
        .containsExactly(
            "complaint.sla_warning@" + target.plus(paused),
            "complaint.sla_breached@" + deadline.plus(paused),
            "complaint.follow_up_due@" + followUp.plus(paused));
  }

  @Test
  void aResolvedCaseFallsDueForFollowUpOnce() {
    String key = newTenant("test");
    String id = aComplaint(key).open();
    respond(key, id, "Thank you, we refunded the order.");
    JsonPath resolved = actOnComplaint(key, id, Map.of("type", "resolve"));
    Instant due = Fixtures.now(key).plus(Duration.ofDays(3));
    assertThat(Instant.parse(resolved.getString("sla.followUpDueAt"))).isEqualTo(due);
    assertThat(advance(key, "P2D")).isZero();
    assertThat(advance(key, "P5D")).isEqualTo(1);
    assertThat(advance(key, "P30D")).isZero();
    assertThat(
            Fixtures.events(key, id).stream()
                .filter(e -> e.get("type").equals("complaint.follow_up_due"))
                .map(e -> e.get("createdAt"))
                .toList())
        .containsExactly(due.toString());
  }

  @Test
  void aReopenedCaseOwesNoFollowUpUntilItIsResolvedAgain() {
    String key = newTenant("test");
    String id = aComplaint(key).open();
    respond(key, id, "Thank you, we refunded the order.");
    actOnComplaint(key, id, Map.of("type", "resolve"));
    assertThat(advance(key, "P3D")).isEqualTo(1);
    JsonPath reopened = actOnComplaint(key, id, Map.of("type", "reopen"));
    assertThat(reopened.getString("state")).isEqualTo("acknowledged");
    assertThat(reopened.getString("sla.followUpDueAt")).isNull();
    assertThat(advance(key, "P10D")).isZero();
    JsonPath again = actOnComplaint(key, id, Map.of("type", "resolve"));
    Instant due = Fixtures.now(key).plus(Duration.ofDays(3));
    assertThat(Instant.parse(again.getString("sla.followUpDueAt"))).isEqualTo(due);
    assertThat(advance(key, "P3D")).isEqualTo(1);
    assertThat(
            Fixtures.events(key, id).stream()
                .filter(e -> e.get("type").equals("complaint.follow_up_due"))
                .map(e -> e.get("createdAt"))
                .toList())
        .hasSize(2)
        .endsWith(due.toString());
  }

  @Test
  void oneAdvanceFiresTradeAndComplaintTimersInDueOrder() {
    String key = newTenant("test");
    as(key)
        .body(Map.of("firstResponseTarget", "P2D", "firstResponseDeadline", "P4D"))
        .put("/v1/sla-policies/low")
        .then()
        .statusCode(200);
    TradeFixtures f = new TradeFixtures(key);
    String trade = f.trade();
    f.act(trade, "request_reply", f.a).statusCode(200); // reminder 1 due in 3 days
    String complaint = aComplaint(key).severity("low").open(); // warns in 2, breaches in 4

    assertThat(advance(key, "P5D")).isEqualTo(4); // warning, reminder 1, breach, reminder 2

    List<String> order =
        Fixtures.events(key, null).stream()
            .map(e -> (String) e.get("type"))
            .filter(
                t ->
                    t.equals("trade.reminder_due")
                        || t.equals("complaint.sla_warning")
                        || t.equals("complaint.sla_breached"))
            .toList();
    assertThat(order)
        .containsExactly(
            "complaint.sla_warning",
            "trade.reminder_due",
            "complaint.sla_breached",
            "trade.reminder_due");
    assertThat(complaint(key, complaint).getInt("escalationLevel")).isEqualTo(1);
  }

  @Test
  void aTimerThatFiringSetsBeforeTheNextDueOneFiresFirstInTheSameAdvance() {
    String key = newTenant("test");
    as(key)
        .body(Map.of("firstResponseTarget", "P2D", "firstResponseDeadline", "P2DT12H"))
        .put("/v1/sla-policies/low")
        .then()
        .statusCode(200);
    TradeFixtures f = new TradeFixtures(key);
    String early = f.trade();
    f.act(early, "request_reply", f.a).statusCode(200); // reminders at 3 d and 5 d, silence at 6 d
    aComplaint(key).severity("low").open(); // warns at 2 d, breaches at 2.5 d
    advance(key, "P2DT12H"); // the warning and the breach
    String late = f.trade();
    f.act(late, "request_reply", f.a).statusCode(200); // reminder 1 at 5.5 d

    // Both trades' first timers are due together, but the early trade's reminder 1 sets its
    // reminder 2 (5 d) before the late trade's reminder 1 (5.5 d).
    assertThat(advance(key, "P4D")).isEqualTo(4);

    List<Map<String, Object>> fired =
        Fixtures.events(key, null).stream()
            .filter(e -> e.get("type").equals("trade.reminder_due"))
            .toList();
    assertThat(fired)
        .extracting(e -> (Object) ((Map<?, ?>) e.get("subject")).get("id"))
        .containsExactly(early, early, late);
    assertThat(fired).extracting(e -> Instant.parse((String) e.get("createdAt"))).isSorted();
    assertThat(Fixtures.events(key, null))
        .extracting(e -> Instant.parse((String) e.get("createdAt")))
        .as("the whole feed in due order")
        .isSorted();
  }

  @Test
  void aBreachSetByAWarningFiresBeforeALaterTradeTimerInTheSameAdvance() {
    String key = newTenant("test");
    as(key)
        .body(Map.of("firstResponseTarget", "P2D", "firstResponseDeadline", "P2DT12H"))
        .put("/v1/sla-policies/low")
        .then()
        .statusCode(200);
    TradeFixtures f = new TradeFixtures(key);
    String trade = f.trade();
    f.act(trade, "request_reply", f.a).statusCode(200); // reminder 1 due in 3 days
    aComplaint(key).severity("low").open(); // warns in 2 days, breaches half a day later

    assertThat(advance(key, "P4D")).isEqualTo(3);

    assertThat(
            Fixtures.events(key, null).stream()
                .map(e -> (String) e.get("type"))
                .filter(t -> t.equals("trade.reminder_due") || t.startsWith("complaint.sla"))
                .toList())
        .containsExactly("complaint.sla_warning", "complaint.sla_breached", "trade.reminder_due");
    assertThat(Fixtures.events(key, null))
        .extracting(e -> Instant.parse((String) e.get("createdAt")))
        .isSorted();
  }

  private static JsonPath complaint(String key, String id) {
    return as(key).get("/v1/complaints/" + id).then().statusCode(200).extract().jsonPath();
  }
}
