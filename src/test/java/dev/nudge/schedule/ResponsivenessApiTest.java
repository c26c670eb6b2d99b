package dev.nudge.schedule;

import static dev.nudge.support.Api.as;
import static dev.nudge.support.Api.newTenant;
import static dev.nudge.support.Fixtures.act;
import static dev.nudge.support.Fixtures.advance;
import static dev.nudge.support.Fixtures.party;
import static dev.nudge.support.Fixtures.policy;
import static dev.nudge.support.Fixtures.trade;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Responsiveness on a history seeded with the test clock, whose answers are known in advance. */
@QuarkusTest
class ResponsivenessApiTest {

  @Test
  void countsWaitsByHowTheyEndedAndScoresThem() {
    String key = newTenant("test");
    String seller = party(key);
    String buyer = party(key);
    String quick = trade(key, seller, buyer, null);
    String late = trade(key, seller, buyer, null);
    String silent = trade(key, seller, buyer, null);
    String open = trade(key, seller, buyer, policy(key, Map.of("replyWindow", "P30D")));
    for (String t : new String[] {quick, late, silent, open}) {
      act(key, t, "request_reply", seller);
    }
    advance(key, "P1D");
    act(key, quick, "reply", buyer); // after a day, before any reminder
    advance(key, "P2D"); // reminder 1 of late and silent
    advance(key, "PT12H");
    act(key, late, "reply", buyer); // after 3.5 days, after a reminder
    advance(key, "P3D"); // silent: reminder 2, then cancelled for no reply

    JsonPath r =
        as(key)
            .get("/v1/parties/" + buyer + "/responsiveness")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(r.getInt("awaited")).isEqualTo(4);
    assertThat(r.getInt("answeredBeforeReminder")).isEqualTo(1);
    assertThat(r.getInt("answeredAfterReminder")).isEqualTo(1);
    assertThat(r.getInt("expired")).isEqualTo(1);
    assertThat(r.getDouble("medianReplySeconds")).isEqualTo((86_400 + 302_400) / 2.0);
    assertThat(r.getInt("score")).isEqualTo(50); // (1 + 0.5) / 3

    JsonPath waiting =
        as(key)
            .get("/v1/parties/" + seller + "/responsiveness")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(waiting.getInt("awaited")).isZero();
    assertThat((Object) waiting.get("score")).isNull();
    as(key)
        .queryParam("from", "last week")
        .get("/v1/parties/" + buyer + "/responsiveness")
        .then()
        .statusCode(400);
  }
}
