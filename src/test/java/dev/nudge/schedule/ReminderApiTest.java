package dev.nudge.schedule;

import static dev.nudge.support.Api.as;
import static dev.nudge.support.Fixtures.act;
import static dev.nudge.support.Fixtures.advance;
import static dev.nudge.support.Fixtures.count;
import static dev.nudge.support.Fixtures.eventTypes;
import static dev.nudge.support.Fixtures.get;
import static dev.nudge.support.Fixtures.historyActions;
import static dev.nudge.support.Fixtures.now;
import static dev.nudge.support.Fixtures.party;
import static dev.nudge.support.Fixtures.reminders;
import static dev.nudge.support.Fixtures.trade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.nudge.support.Api;
import dev.nudge.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Manual nudges, the test clock's own rules and reminder template overrides. */
@QuarkusTest
class ReminderApiTest {

  @jakarta.inject.Inject io.agroal.api.AgroalDataSource db;

  private String key;
  private String seller;
  private String buyer;

  @BeforeEach
  void tenantAndParties() {
    key = Api.newTenant("test");
    seller = party(key);
    buyer = party(key);
  }

  private io.restassured.response.ValidatableResponse nudge(String tradeId, String from) {
    return as(key)
        .body(Map.of("fromPartyId", from))
        .post("/v1/trades/" + tradeId + "/reminders")
        .then();
  }

  /** Moves the test clock to the next 14:00 UTC (23:00 in Tokyo); returns that instant. */
  private Instant toNextTokyoNight() {
    Instant now = now(key);
    ZonedDateTime target = now.atZone(ZoneOffset.UTC).with(LocalTime.of(14, 0));
    if (Duration.between(now, target.toInstant()).getSeconds() < 1) {
      target = target.plusDays(1);
    }
    advance(key, Duration.between(now, target.toInstant()).toString());
    return target.toInstant();
  }

  @Test
  void aNudgeInTheRecipientsQuietHoursWaitsForMorning() {
    String tokyo = party(key, "ja", "Asia/Tokyo", "22:00", "08:00");
    String id = trade(key, seller, tokyo, null);
    act(key, id, "request_reply", seller);
    Instant night = toNextTokyoNight();
    Instant morning = night.plus(Duration.ofHours(9));

    String reminderId =
        nudge(id, seller)
            .statusCode(201)
            .body("status", equalTo("deferred"))
            .body("scheduledFor", equalTo(morning.toString()))
            .body("sentAt", equalTo(null))
            .body("number", equalTo(1))
            .extract()
            .path("id");
    assertThat(Fixtures.trade(key, id).getString("reminders.nextAt")).isEqualTo(morning.toString());
    assertThat(count(eventTypes(key, id), "trade.reminder_due")).isZero();
    // A second nudge that night is refused: one is already waiting.
    nudge(id, seller)
        .statusCode(429)
        .body("type", endsWith("/reminder-too-soon"))
        .body("retryAt", equalTo(morning.plus(Duration.ofHours(12)).toString()));
    assertThat(reminders(key, id)).hasSize(1);

    assertThat(advance(key, "PT9H")).isEqualTo(1);
    var sent = reminders(key, id);
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0))
        .containsEntry("id", reminderId)
        .containsEntry("status", "sent")
        .containsEntry("sentAt", morning.toString());
    assertThat(count(eventTypes(key, id), "trade.reminder_due")).isEqualTo(1);
    assertThat(Fixtures.trade(key, id).getInt("reminders.sent")).isEqualTo(1);
  }

  @Test
  void aDeferredReminderIsWithdrawnWhenThePartyAnswers() {
    String tokyo = party(key, "ja", "Asia/Tokyo", "22:00", "08:00");
    String id = trade(key, seller, tokyo, null);
    toNextTokyoNight();
    act(key, id, "request_reply", seller);
    assertThat(advance(key, "P3D")).isEqualTo(1);
    assertThat(get(key, "/v1/parties/" + tokyo + "/reminders?status=deferred").getList("data"))
        .hasSize(1);

    act(key, id, "reply", tokyo);
    assertThat(reminders(key, id)).isEmpty();
    assertThat(get(key, "/v1/parties/" + tokyo + "/reminders").getList("data")).isEmpty();
    assertThat(advance(key, "P1D")).isZero();
    assertThat(count(eventTypes(key, id), "trade.reminder_due")).isZero();
  }

  @Test
  void theWaitingPartyNudgesWithinSpacingAndCap() {
    String id = trade(key, seller, buyer, null);
    nudge(id, seller).statusCode(409).body("type", endsWith("/illegal-transition"));
    act(key, id, "request_reply", seller);

    nudge(id, buyer).statusCode(403).body("type", endsWith("/forbidden"));
    nudge(id, party(key)).statusCode(403).body("type", endsWith("/forbidden"));
    nudge(id, seller)
        .statusCode(201)
        .body("number", equalTo(1))
        .body("tone", equalTo("gentle"))
        .body("status", equalTo("sent"))
        .body("toPartyId", equalTo(buyer))
        .body("sentAt", equalTo(now(key).toString()));
    nudge(id, seller)
        .statusCode(429)
        .body("type", endsWith("/reminder-too-soon"))
        .header("Retry-After", "43200");
    advance(key, "PT11H");
    nudge(id, seller).statusCode(429).header("Retry-After", "3600");
    advance(key, "PT1H");
    nudge(id, seller).statusCode(201).body("number", equalTo(2)).body("tone", equalTo("final"));
    advance(key, "PT12H");
    nudge(id, seller).statusCode(409).body("type", endsWith("/reminder-cap-reached"));

    assertThat(reminders(key, id)).hasSize(2);
    assertThat(Fixtures.trade(key, id).getString("state")).isEqualTo("reminded");
    assertThat(count(historyActions(key, id), "reminder")).isEqualTo(2);
    assertThat(count(eventTypes(key, id), "trade.reminder_due")).isEqualTo(2);
  }

  @Test
  void manualNudgesCountTowardTheAutomaticSchedule() {
    String id = trade(key, seller, buyer, null);
    act(key, id, "request_reply", seller);
    Instant nudged = now(key);
    nudge(id, seller).statusCode(201);
    // The next reminder follows the nudge by the interval; the trade's own due time is skipped.
    assertThat(Fixtures.trade(key, id).getString("reminders.nextAt"))
        .isEqualTo(nudged.plus(Duration.ofDays(2)).toString());
    assertThat(advance(key, "P2D")).isEqualTo(1);
    assertThat(reminders(key, id))
        .extracting(r -> r.get("tone"))
        .containsExactly("gentle", "final");
  }

  @Test
  void nudgeValidatesItsBody() {
    String id = trade(key, seller, buyer, null);
    as(key)
        .body(Map.of())
        .post("/v1/trades/" + id + "/reminders")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("fromPartyId"));
    as(key)
        .body(Map.of("fromPartyId", seller))
        .post("/v1/trades/trd_missing/reminders")
        .then()
        .statusCode(404);
  }

  @Test
  void theClockIsForTestTenantsAndValidatesDurations() throws Exception {
    String live = Api.newTenant("live");
    as(live).get("/v1/clock").then().statusCode(403).body("type", endsWith("/test-mode-only"));
    as(live)
        .body(Map.of("by", "P1D"))
        .post("/v1/clock/advance")
        .then()
        .statusCode(403)
        .body("type", endsWith("/test-mode-only"));
    for (String bad : new String[] {"3 days", "PT0S", "PT0.5S", "P3651D", "-P1D"}) {
      as(key)
          .body(Map.of("by", bad))
          .post("/v1/clock/advance")
          .then()
          .statusCode(400)
          .body("errors.field", hasItem("by"));
    }
    as(key).body(Map.of()).post("/v1/clock/advance").then().statusCode(400);
    Instant before = now(key);
    as(key)
        .body(Map.of("by", "P3D"))
        .post("/v1/clock/advance")
        .then()
        .statusCode(200)
        .body("now", equalTo(before.plus(Duration.ofDays(3)).toString()))
        .body("processed", equalTo(0));
    assertThat(now(key)).isEqualTo(before.plus(Duration.ofDays(3)));
    // The clock stops at the end of year 9999 (timestamps beyond are not RFC 3339).
    try (var c = db.getConnection();
        var ps =
            c.prepareStatement(
                "update tenant set clock_now = '9999-12-25T00:00:00Z'"
                    + " where id = (select tenant_id from party where id = ?)")) {
      ps.setString(1, seller);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
    as(key)
        .body(Map.of("by", "P7D"))
        .post("/v1/clock/advance")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("by"));
    as(key).body(Map.of("by", "P6D")).post("/v1/clock/advance").then().statusCode(200);
  }

  @Test
  void tenantsOverrideReminderTexts() {
    as(key)
        .get("/v1/reminder-templates/ja/firm")
        .then()
        .statusCode(200)
        .body("source", equalTo("default"))
        .body("body", org.hamcrest.Matchers.containsString("{title}"));
    as(key).get("/v1/reminder-templates/fr/firm").then().statusCode(404);
    as(key)
        .body(Map.of("body", "{#if title}unclosed"))
        .put("/v1/reminder-templates/en/gentle")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("body"));
    as(key)
        .body(Map.of("body", "Hi {recipient}, {nosuchvalue}"))
        .put("/v1/reminder-templates/en/gentle")
        .then()
        .statusCode(400);
    // Only plain values: no loops, calls or namespaces that could hang, grow or leak.
    for (String unsafe :
        java.util.List.of(
            "{#for i in 1000000000}{i}{/for}",
            "{#if title}{title}{/if}",
            "{number.toString().repeat(5000000)}",
            "{config:quarkus.datasource.password}",
            "{inject:tradeService}")) {
      as(key)
          .body(Map.of("body", "Hi " + unsafe))
          .put("/v1/reminder-templates/en/gentle")
          .then()
          .statusCode(400)
          .body("errors.field", hasItem("body"));
    }
    as(key)
        .body(Map.of("body", "Hi {recipient}! Any news on {title}? Due {dueDate}."))
        .put("/v1/reminder-templates/en/gentle")
        .then()
        .statusCode(200)
        .body("source", equalTo("tenant"));
    as(key)
        .get("/v1/reminder-templates/en/gentle")
        .then()
        .statusCode(200)
        .body("body", org.hamcrest.Matchers.startsWith("Hi {recipient}!"));

    String id = trade(key, seller, buyer, null);
    act(key, id, "request_reply", seller);
    nudge(id, seller)
        .statusCode(201)
        .body("message", org.hamcrest.Matchers.startsWith("Hi Party"))
        .body("message", org.hamcrest.Matchers.containsString("Any news on Photo card exchange?"));
    // Other tenants keep the shipped text.
    String other = Api.newTenant("test");
    as(other).get("/v1/reminder-templates/en/gentle").then().body("source", equalTo("default"));
  }
}
