package dev.nudge.complaint;

import static dev.nudge.support.Api.as;
import static dev.nudge.support.Api.newTenant;
import static dev.nudge.support.Fixtures.aComplaint;
import static dev.nudge.support.Fixtures.actOnComplaint;
import static dev.nudge.support.Fixtures.customerWrites;
import static dev.nudge.support.Fixtures.respond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import dev.nudge.support.Fixtures;
import dev.nudge.trade.TradeFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Complaint cases over HTTP: opening, reading, listing, history, actions, isolation. */
@QuarkusTest
class ComplaintApiTest {

  @Test
  void aCaseOpensWithItsSlaTimesAndReadsBackWithAnEtag() {
    String key = newTenant("test");
    Instant now = Fixtures.now(key);
    String id = aComplaint(key).severity("high").open();

    JsonPath c =
        as(key)
            .get("/v1/complaints/" + id)
            .then()
            .statusCode(200)
            .header("ETag", "\"1\"")
            .extract()
            .jsonPath();
    assertThat(c.getString("state")).isEqualTo("open");
    assertThat(c.getString("visibility")).isEqualTo("public");
    assertThat(c.getString("customer.handle")).isEqualTo("@mina_fan");
    assertThat(Instant.parse(c.getString("sla.firstResponseTargetAt")))
        .isEqualTo(now.plus(Duration.ofMinutes(30)));
    assertThat(Instant.parse(c.getString("sla.firstResponseDueAt")))
        .isEqualTo(now.plus(Duration.ofHours(4)));
    assertThat(c.getList("allowedActions", String.class))
        .containsExactly(
            "respond", "customer_message", "move_to_private", "escalate", "assign", "pause_sla");
    as(key)
        .get("/v1/complaints/" + id + "/history")
        .then()
        .statusCode(200)
        .body("data.action", contains("open"))
        .body("data[0].actor", equalTo("@mina_fan"))
        .body("data[0].toState", equalTo("open"));
  }

  @Test
  void openingChecksEveryFieldAndTheTrade() {
    String key = newTenant("test");
    as(key)
        .body(
            Map.of(
                "customer", Map.of("handle", ""),
                "channel", "carrier_pigeon",
                "subject", "x",
                "category", "weather",
                "severity", "urgent",
                "postedAt", "2999-01-01T00:00:00Z"))
        .post("/v1/complaints")
        .then()
        .statusCode(400)
        .body(
            "errors.field",
            hasItems("customer.handle", "channel", "category", "severity", "postedAt"));
    String otherTenantsTrade = new TradeFixtures(newTenant("test")).trade();
    as(key)
        .body(
            Map.of(
                "customer", Map.of("handle", "@x"),
                "channel", "email",
                "subject", "x",
                "category", "other",
                "severity", "low",
                "tradeId", otherTenantsTrade))
        .post("/v1/complaints")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("tradeId"));
    String myTrade = new TradeFixtures(key).trade();
    String linked = aComplaint(key).set("tradeId", myTrade).set("channel", "email").open();
    JsonPath c = as(key).get("/v1/complaints/" + linked).then().extract().jsonPath();
    assertThat(c.getString("tradeId")).isEqualTo(myTrade);
    assertThat(c.getString("visibility")).as("not a public post").isEqualTo("private");
  }

  @Test
  void listsFilterByStateSeverityCategoryBreachedAndAssignee() {
    String key = newTenant("test");
    String a = aComplaint(key).severity("critical").category("billing").open();
    String b = aComplaint(key).severity("low").open();
    actOnComplaint(key, b, Map.of("type", "assign", "assignee", "agent-7"));
    respond(key, a, "Thank you, we are on it.");
    Fixtures.advance(key, "PT25H"); // b breaches its first-response deadline

    assertThat(ids(key, "severity=critical")).containsExactly(a);
    assertThat(ids(key, "category=billing")).containsExactly(a);
    assertThat(ids(key, "state=open")).containsExactly(b);
    assertThat(ids(key, "breached=true")).containsExactly(b);
    assertThat(ids(key, "breached=false")).containsExactly(a);
    assertThat(ids(key, "assignee=agent-7")).containsExactly(b);
    as(key).get("/v1/complaints?breached=maybe").then().statusCode(400);
    as(key).get("/v1/complaints?state=lost").then().statusCode(400);
    List<String> page =
        as(key).get("/v1/complaints?limit=1").then().statusCode(200).extract().path("data.id");
    assertThat(page).hasSize(1);
  }

  @Test
  void actionsFollowTheTableWithIfMatchAndNameWhatIsAllowed() {
    String key = newTenant("test");
    String id = aComplaint(key).open();
    as(key)
        .body(Map.of("type", "propose_solution"))
        .post("/v1/complaints/" + id + "/actions")
        .then()
        .statusCode(409)
        .body("type", equalTo("https://nudge.dev/problems/illegal-transition"))
        .body("state", equalTo("open"))
        .body("action", equalTo("propose_solution"))
        .body("allowedActions", hasItem("respond"))
        .body("allowedActions", not(hasItem("propose_solution")));
    as(key)
        .body(Map.of("type", "assign"))
        .post("/v1/complaints/" + id + "/actions")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("assignee"));
    as(key)
        .body(Map.of("type", "pause_sla"))
        .post("/v1/complaints/" + id + "/actions")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("reason"));
    as(key)
        .body(Map.of("type", "respond"))
        .post("/v1/complaints/" + id + "/actions")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("type"));

    assertThat(respond(key, id, "Thank you for telling us.").getString("complaint.state"))
        .isEqualTo("acknowledged");
    as(key)
        .header("If-Match", "\"1\"")
        .body(Map.of("type", "propose_solution"))
        .post("/v1/complaints/" + id + "/actions")
        .then()
        .statusCode(412);
    JsonPath proposed =
        as(key)
            .header("If-Match", "\"2\"")
            .body(Map.of("type", "propose_solution", "note", "A replacement ships today"))
            .post("/v1/complaints/" + id + "/actions")
            .then()
            .statusCode(200)
            .header("ETag", "\"3\"")
            .extract()
            .jsonPath();
    assertThat(proposed.getString("state")).isEqualTo("solution_proposed");
    JsonPath escalated = actOnComplaint(key, id, Map.of("type", "escalate", "actor", "lead"));
    assertThat(escalated.getInt("escalationLevel")).isEqualTo(1);
    JsonPath privately = actOnComplaint(key, id, Map.of("type", "move_to_private"));
    assertThat(privately.getString("visibility")).isEqualTo("private");
    assertThat(
            as(key)
                .get("/v1/complaints/" + id + "/history")
                .then()
                .extract()
                .jsonPath()
                .getList("data.action", String.class))
        .containsExactly("open", "respond", "propose_solution", "escalate", "move_to_private");
    assertThat(Fixtures.events(key, id).stream().map(e -> (String) e.get("type")).toList())
        .containsExactly(
            "complaint.opened",
            "complaint.state_changed",
            "complaint.responded",
            "complaint.state_changed",
            "complaint.escalated",
            "complaint.updated");
  }

  @Test
  void aResolvedCaseIsFollowedUpThenClosedOrReopened() {
    String key = newTenant("test");
    String id = aComplaint(key).open();
    respond(key, id, "Thank you, a replacement is on its way.");
    actOnComplaint(key, id, Map.of("type", "resolve"));
    assertThat(
            actOnComplaint(key, id, Map.of("type", "record_follow_up", "satisfied", false))
                .getString("state"))
        .isEqualTo("acknowledged");
    actOnComplaint(key, id, Map.of("type", "resolve"));
    JsonPath closed =
        actOnComplaint(key, id, Map.of("type", "record_follow_up", "satisfied", true));
    assertThat(closed.getString("state")).isEqualTo("closed");
    assertThat(closed.getList("allowedActions", String.class))
        .containsExactly("respond", "customer_message", "reopen");
    assertThat(actOnComplaint(key, id, Map.of("type", "reopen")).getString("state"))
        .isEqualTo("acknowledged");
  }

  @Test
  void anotherTenantsCaseIsNotFoundAnywhere() {
    String mine = newTenant("test");
    String theirs = newTenant("test");
    String id = aComplaint(mine).open();
    for (String path :
        List.of(
            "/v1/complaints/" + id,
            "/v1/complaints/" + id + "/history",
            "/v1/complaints/" + id + "/responses",
            "/v1/complaints/" + id + "/messages")) {
      as(theirs).get(path).then().statusCode(404);
    }
    as(theirs)
        .body(Map.of("type", "escalate"))
        .post("/v1/complaints/" + id + "/actions")
        .then()
        .statusCode(404);
    as(theirs)
        .body(Map.of("author", "x", "body", "Thank you"))
        .post("/v1/complaints/" + id + "/responses")
        .then()
        .statusCode(404);
    as(theirs)
        .body(Map.of("body", "hello"))
        .post("/v1/complaints/" + id + "/messages")
        .then()
        .statusCode(404);
    assertThat(ids(theirs, "")).isEmpty();
    as(theirs).get("/v1/complaints/stats").then().statusCode(200).body("total", equalTo(0));
    customerWrites(mine, id, "Any news?");
  }

  @Test
  void theFeedFiltersComplaintEventsByFamily() {
    String key = newTenant("test");
    new TradeFixtures(key).trade();
    String id = aComplaint(key).open();
    List<String> types =
        as(key)
            .queryParam("types", "complaint.*")
            .get("/v1/events")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("data.type", String.class);
    assertThat(types).containsExactly("complaint.opened");
    assertThat(Fixtures.events(key, id).get(0).get("subject"))
        .isEqualTo(Map.of("kind", "complaint", "id", id));
  }

  private static List<String> ids(String key, String query) {
    return as(key)
        .get("/v1/complaints" + (query.isEmpty() ? "" : "?" + query))
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("data.id", String.class);
  }
}
