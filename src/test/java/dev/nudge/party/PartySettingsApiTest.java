package dev.nudge.party;

import static dev.nudge.support.Api.as;
import static dev.nudge.support.Api.newTenant;
import static dev.nudge.support.Fixtures.aParty;
import static dev.nudge.support.Fixtures.act;
import static dev.nudge.support.Fixtures.advance;
import static dev.nudge.support.Fixtures.get;
import static dev.nudge.support.Fixtures.party;
import static dev.nudge.support.Fixtures.reminders;
import static dev.nudge.support.Fixtures.trade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.nudge.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Party settings change with the people (SPEC §2), and reminders not yet sent follow them. */
@QuarkusTest
class PartySettingsApiTest {

  @Test
  void settingsChangeByMergePatchWithIfMatch() {
    String key = newTenant("test");
    String id =
        aParty(key)
            .handle("@aki")
            .locale("ja")
            .timeZone("Asia/Tokyo")
            .quietHours("22:00", "08:00")
            .create();
    as(key)
        .header("If-Match", "\"7\"")
        .body(Map.of("displayName", "Aki"))
        .patch("/v1/parties/" + id)
        .then()
        .statusCode(412);
    JsonPath p =
        as(key)
            .header("If-Match", "\"0\"")
            .body(Map.of("displayName", "Aki T.", "locale", "en-us"))
            .patch("/v1/parties/" + id)
            .then()
            .statusCode(200)
            .header("ETag", "\"1\"")
            .extract()
            .jsonPath();
    assertThat(p.getString("displayName")).isEqualTo("Aki T.");
    assertThat(p.getString("locale")).isEqualTo("en-US");
    assertThat(p.getString("timeZone")).as("left as it was").isEqualTo("Asia/Tokyo");
    assertThat(p.getMap("quietHours")).isEqualTo(Map.of("start", "22:00", "end", "08:00"));

    Map<String, Object> clear = new HashMap<>();
    clear.put("quietHours", null);
    JsonPath cleared =
        as(key).body(clear).patch("/v1/parties/" + id).then().statusCode(200).extract().jsonPath();
    assertThat(cleared.getMap("quietHours")).isNull();
    as(key)
        .body(Map.of("handle", "@other", "locale", "fr-FR", "timeZone", "Mars/Base"))
        .patch("/v1/parties/" + id)
        .then()
        .statusCode(400)
        .body("errors.field", hasItems("handle"));
    as(key)
        .body(Map.of("locale", "fr-FR", "timeZone", "Mars/Base"))
        .patch("/v1/parties/" + id)
        .then()
        .statusCode(400)
        .body("errors.field", hasItems("locale", "timeZone"));
    as(newTenant("test"))
        .body(Map.of("displayName", "x"))
        .patch("/v1/parties/" + id)
        .then()
        .statusCode(404);
  }

  @Test
  void aPatchThatChangesNothingKeepsTheVersion() {
    String key = newTenant("test");
    String id = aParty(key).handle("@ren").locale("en").timeZone("Europe/London").create();
    Map<String, Object> same =
        Map.of(
            "locale",
            "en",
            "timeZone",
            "Europe/London",
            "channels",
            List.of(Map.of("type", "x_dm", "address", "@ren")));
    as(key).body(same).patch("/v1/parties/" + id).then().statusCode(200).header("ETag", "\"1\"");
    // The same values again, and an empty patch: nothing changes, so the ETag stays.
    as(key)
        .header("If-Match", "\"1\"")
        .body(same)
        .patch("/v1/parties/" + id)
        .then()
        .statusCode(200)
        .header("ETag", "\"1\"");
    as(key)
        .body(Map.of())
        .patch("/v1/parties/" + id)
        .then()
        .statusCode(200)
        .header("ETag", "\"1\"")
        .body("version", equalTo(1));
    as(key)
        .header("If-Match", "\"1\"")
        .body(Map.of("displayName", "Ren"))
        .patch("/v1/parties/" + id)
        .then()
        .statusCode(200)
        .header("ETag", "\"2\"");
  }

  @Test
  void partiesAreFoundByHandleWhateverTheCase() {
    String key = newTenant("test");
    String aki = aParty(key).handle("@Aki_Trades").create();
    aParty(key).handle("@ben").create();
    assertThat(get(key, "/v1/parties?handle=@aki_trades").getList("data.id", String.class))
        .containsExactly(aki);
    assertThat(get(key, "/v1/parties?handle=@nobody").getList("data")).isEmpty();
    assertThat(get(key, "/v1/parties").getList("data")).hasSize(2);
  }

  @Test
  void browserLocalesAreAcceptedAndRemindersUseTheirLanguage() {
    String key = newTenant("test");
    String seller = party(key);
    String buyer = aParty(key).locale("ja-JP").create();
    as(key).get("/v1/parties/" + buyer).then().body("locale", equalTo("ja-JP"));
    String id = trade(key, seller, buyer, null);
    act(key, id, "request_reply", seller);
    advance(key, "P3D");
    List<Map<String, Object>> sent = reminders(key, id);
    assertThat(sent.get(0)).containsEntry("locale", "ja");
    assertThat((String) sent.get(0).get("message")).contains("ご返信");
    as(key)
        .body(Map.of("handle", "@x", "locale", "de-DE", "timeZone", "UTC"))
        .post("/v1/parties")
        .then()
        .statusCode(400)
        .body("errors.field", hasItems("locale"));
  }

  @Test
  void aHeldReminderFollowsTheRecipientsNewTimeZoneQuietHoursAndLanguage() {
    String key = newTenant("test");
    String seller = party(key);
    String tokyo =
        aParty(key).locale("ja").timeZone("Asia/Tokyo").quietHours("22:00", "08:00").create();
    String id = trade(key, seller, tokyo, null);
    // The reply falls due at 23:00 in Tokyo (14:00 UTC): the reminder waits for 08:00 there.
    Instant now = Fixtures.now(key);
    ZonedDateTime start = now.atZone(ZoneOffset.UTC).with(LocalTime.of(14, 0));
    if (Duration.between(now, start.toInstant()).getSeconds() < 1) {
      start = start.plusDays(1);
    }
    advance(key, Duration.between(now, start.toInstant()).toString());
    act(key, id, "request_reply", seller);
    Instant due = start.toInstant().plus(Duration.ofDays(3));
    advance(key, "P3D");
    assertThat(Fixtures.trade(key, id).getString("reminders.nextAt"))
        .isEqualTo(due.plus(Duration.ofHours(9)).toString());

    // They moved to London, where it is 14:00 and their new quiet hours run until 16:00.
    as(key)
        .body(
            Map.of(
                "timeZone", "Europe/London",
                "locale", "en-GB",
                "quietHours", Map.of("start", "13:00", "end", "16:00")))
        .patch("/v1/parties/" + tokyo)
        .then()
        .statusCode(200);
    Instant londonEnd = due.plus(Duration.ofHours(2));
    List<Map<String, Object>> held = reminders(key, id);
    assertThat(held).hasSize(1);
    assertThat(held.get(0))
        .containsEntry("status", "deferred")
        .containsEntry("scheduledFor", londonEnd.toString())
        .containsEntry("locale", "en");
    assertThat((String) held.get(0).get("message")).contains("your reply");
    assertThat(Fixtures.trade(key, id).getString("reminders.nextAt"))
        .isEqualTo(londonEnd.toString());

    // No quiet hours any more: it goes out now, once.
    Map<String, Object> none = new HashMap<>();
    none.put("quietHours", null);
    as(key).body(none).patch("/v1/parties/" + tokyo).then().statusCode(200);
    List<Map<String, Object>> sent = reminders(key, id);
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0))
        .containsEntry("id", held.get(0).get("id"))
        .containsEntry("status", "sent")
        .containsEntry("sentAt", due.toString());
    assertThat(Fixtures.trade(key, id).getInt("reminders.sent")).isEqualTo(1);
    assertThat(advance(key, "PT3H")).as("nothing left for the old time").isZero();
  }
}
