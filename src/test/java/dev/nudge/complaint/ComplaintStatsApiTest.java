package dev.nudge.complaint;

import static dev.nudge.support.Api.as;
import static dev.nudge.support.Api.newTenant;
import static dev.nudge.support.Fixtures.aComplaint;
import static dev.nudge.support.Fixtures.advance;
import static dev.nudge.support.Fixtures.respond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.nudge.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Statistics on a seeded set of cases whose answers are known in advance. */
@QuarkusTest
class ComplaintStatsApiTest {

  @Test
  void countsTimesAndRecurringCategoriesOfTheWindow() {
    String key = newTenant("test");
    Instant t0 = Fixtures.now(key);
    String c1 = aComplaint(key).category("delivery").open();
    String c2 = aComplaint(key).category("delivery").open();
    String c3 = aComplaint(key).category("delivery").open();
    aComplaint(key).category("billing").open(); // never answered: breaches at 24 h
    String c5 = aComplaint(key).category("product").severity("high").open();
    advance(key, "PT10M");
    respond(key, c1, "Thank you, checking.");
    respond(key, c5, "Thank you, checking now.");
    advance(key, "PT20M");
    respond(key, c2, "Thank you, on it.");
    advance(key, "PT90M");
    respond(key, c3, "Sorry for the wait.");
    advance(key, "PT23H");

    JsonPath s = as(key).get("/v1/complaints/stats").then().statusCode(200).extract().jsonPath();
    assertThat(s.getInt("total")).isEqualTo(5);
    assertThat(s.getMap("byCategory")).isEqualTo(Map.of("delivery", 3, "billing", 1, "product", 1));
    assertThat(s.getMap("bySeverity")).isEqualTo(Map.of("normal", 4, "high", 1));
    assertThat(s.getMap("byState")).isEqualTo(Map.of("acknowledged", 4, "open", 1));
    // First responses after 600, 600, 1800 and 7200 s.
    assertThat(s.getDouble("firstResponse.medianSeconds")).isEqualTo(1200.0);
    assertThat(s.getDouble("firstResponse.p90Seconds")).isEqualTo(5580.0);
    // Within target: c1, c2, c5; not: c3 (2 h > 1 h) and the unanswered one.
    assertThat(s.getDouble("firstResponse.withinTargetRate")).isEqualTo(0.6);
    assertThat(s.getInt("breached")).isEqualTo(1);
    assertThat(s.getList("recurring"))
        .isEqualTo(List.of(Map.of("category", "delivery", "count", 3)));

    as(key)
        .queryParam("to", t0.toString())
        .get("/v1/complaints/stats")
        .then()
        .statusCode(200)
        .body("total", equalTo(0))
        .body("firstResponse.medianSeconds", equalTo(null));
    String justNow = aComplaint(key).category("billing").open();
    JsonPath now = as(key).get("/v1/complaints/stats").then().statusCode(200).extract().jsonPath();
    assertThat(now.getInt("total"))
        .as("a case opened at the window's end, %s", justNow)
        .isEqualTo(6);
    assertThat(Instant.parse(now.getString("to"))).isEqualTo(Fixtures.now(key));
    as(key)
        .queryParam("from", "yesterday")
        .get("/v1/complaints/stats")
        .then()
        .statusCode(400)
        .body("errors.field", hasItems("from"));
  }
}
